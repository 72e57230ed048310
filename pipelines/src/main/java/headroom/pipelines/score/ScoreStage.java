package headroom.pipelines.score;

import headroom.pipelines.run.PipelineStage;
import headroom.scoring.EvalTexts;
import headroom.scoring.HypothesisVerdicts;
import headroom.scoring.PairedInterval;
import headroom.scoring.ScoreRows;
import ai.djl.Device;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.typesafe.config.Config;
import headroom.scoring.baseline.ClassicalBaselines;
import headroom.scoring.baseline.NgramFloor;
import headroom.pipelines.conf.ConfException;
import headroom.pipelines.prep.InputFiles;
import headroom.pipelines.prep.PrepStage;
import headroom.pipelines.run.CodeFingerprint;
import headroom.pipelines.run.Manifest;
import headroom.pipelines.run.RunLayout;
import headroom.pipelines.run.Stage;
import headroom.pipelines.run.StageContext;
import headroom.pipelines.run.StageSpec;
import headroom.pipelines.run.StageRecord;
import headroom.pipelines.score.CandidateScorer.EvalSet;
import headroom.pipelines.score.CandidateScorer.Scored;
import headroom.scoring.ScoreRows.CandidateSummaryRow;
import headroom.scoring.ScoreRows.LeaderboardRow;
import headroom.scoring.ScoreRows.RefinementRow;
import headroom.scoring.ScoreRows.VerdictRow;
import headroom.pipelines.spark.RecordTable;
import headroom.pipelines.sweep.SweepRows.VocabMetrics;
import headroom.pipelines.sweep.SweepStage;
import headroom.pipelines.train.TokenizerProvenance;
import headroom.pipelines.train.TrainConf;
import headroom.pipelines.spark.TaskParallelism;
import headroom.model.CandidateNames;
import headroom.pipelines.tokenize.CandidateSelection;
import headroom.tokenizer.BpeModel;
import headroom.core.TensorClass;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * score: every trained model under {@link RunLayout#models()} x every precision plan -> an artifact, read back
 * and evaluated on the whole val split (DESIGN.md, "scoring"), then the leaderboard and the reports, in
 * {@link RunLayout#artifacts()}:
 * <pre>
 * &lt;model&gt;__&lt;plan&gt;.hra                    the artifact (docs/ARTIFACT.md), named by {@link CandidateNames#artifact}
 * leaderboard.{parquet,csv}                one row per artifact (model = candidate x seed, x plan), best post-roundtrip bpb first;
 *                                          over-cap rows valid = false; fill and in_band measured on the file; ngram_margin = the n-gram floor's bpb - bpb_post
 * leaderboard-by-candidate.{parquet,csv}   mean, standard deviation and n over seeds per candidate and plan
 * verdicts.{parquet,csv}                   the hypothesis criteria per vocabulary pair
 * refinement.{parquet,csv}                 bpb at each evaluation-time loop count L'
 * bytes-per-param.json                     measured bytes per parameter by tensor class, for the next sweep
 * summary.json                             counts, baselines, the n-gram floor (order, holdout and val bpb), the best artifact under the cap
 * </pre>
 * Under {@code headroom.score.parallelism = 1} the driver scores one model after another; otherwise each (model, plan)
 * is a Spark task ({@link ScoreJob}) and the driver only collects: the tables and artifacts are the same to the byte.
 * and the pages report/score.html, report/hypothesis.html and report/hypothesis.md.
 */
public final class ScoreStage implements Stage {

    public static final String NAME = "score";
    /**
     * The train stage records each model as its own manifest stage, "train/<model>" (TrainStage.NAME_PREFIX), restated
     * so that score's code fingerprint does not cover the trainer.
     */
    static final String TRAIN_STAGE_PREFIX = "train/";
    /** Where score tasks work, apart, under the stage's staging (never published): see {@link ScoreTask}. */
    private static final String ATTEMPTS = ".score-tasks";
    private static final Logger LOG = LoggerFactory.getLogger(ScoreStage.class);

    private final SparkSession spark;
    private final Config config;
    private final ScoreConf conf;
    private final RunLayout run;
    private final List<TrainedModel> models;
    private final List<TrainedModel.Diverged> diverged;
    private final Map<String, String> inputs = new LinkedHashMap<>();
    private final TaskParallelism parallelism; // null: score in the driver (score.parallelism = 1)

    /**
     * The stage: planning checks its conf, the prep and sweep records and the trained models; it scores in the driver
     * under score.parallelism = 1, else as one Spark job ({@link ScoreJob}).
     */
    public static PipelineStage<ScoreStage> of(SparkSession spark, Config config) {
        return PipelineStage.inDriverWhen(NAME, () -> ScoreConf.from(config).parallelism() == 1, run -> new ScoreStage(spark, config, run.root()));
    }

    private ScoreStage(SparkSession spark, Config config, Path runDir) throws IOException {
        this.spark = spark;
        this.config = config;
        this.conf = ScoreConf.from(config);
        this.run = new RunLayout(runDir);
        Manifest manifest = Manifest.load(runDir);
        inputs.put(PrepStage.NAME, succeeded(manifest, PrepStage.NAME, "a prepared corpus", "prep"));
        inputs.put(SweepStage.NAME, succeeded(manifest, SweepStage.NAME, "the sweep's tokenizers", "sweep"));
        this.models = TrainedModel.list(run.models());
        this.diverged = TrainedModel.diverged(run.models());
        if (models.isEmpty()) {
            throw new ConfException("score needs trained models under " + run.models()
                    + "/<candidate>/ (model.json + weights.bin): " + (diverged.isEmpty() ? "run 'headroom train' first"
                    : "every trained candidate diverged: " + diverged.stream().map(d -> d.candidate() + " (" + d.message() + ")").toList()));
        }
        for (TrainedModel.Diverged d : diverged) inputs.put("diverged " + d.candidate(), d.message());
        for (TrainedModel m : models) {
            // the train stage's fingerprint when it made the model; else the model files themselves (a model trained by hand)
            String trained = manifest.stage(TRAIN_STAGE_PREFIX + m.name()).filter(r -> r.status() == StageRecord.Status.SUCCEEDED)
                    .map(StageRecord::fingerprint).orElse(null);
            inputs.put("model " + m.name(), trained != null ? trained : m.filesDigest());
        }
        // checked before any work: a parallelism the session cannot hold is an error naming the key and the offer
        this.parallelism = conf.parallelism() == 1 ? null : TaskParallelism.resolve(ScoreConf.PARALLELISM_KEY, conf.parallelism(),
                TrainConf.from(config).train().threads(), TaskParallelism.Cluster.of(spark.sparkContext()));
        if (!conf.heldout().isBlank()) inputs.putAll(InputFiles.list(SweepStage.HELDOUT_KEY, List.of(conf.heldout()), spark.sparkContext().hadoopConfiguration()).fingerprints());
    }

    @Override
    public StageSpec spec() {
        return new StageSpec(NAME, CodeFingerprint.of(ScoreStage.class), ScoreConf.snapshot(config), inputs, List.of(RunLayout.RELATIVE.artifacts().toString(),
                RunLayout.RELATIVE.scoreReport().toString(), RunLayout.RELATIVE.hypothesisReport().toString(),
                RunLayout.RELATIVE.hypothesisMarkdown().toString(), RunLayout.RELATIVE.reports().resolve(HypothesisReport.PRIMARY_SVG).toString()));
    }

    @Override
    public Map<String, Object> execute(StageContext context) throws Exception {
        long t0 = System.nanoTime();
        SweepOutputs sweep = new SweepOutputs(run);
        for (TrainedModel m : models) {
            // a model's ids mean nothing under another tokenizer: refuse before any evaluation
            if (!TokenizerProvenance.check(m.dir(), sweep.tokenizerFile(m.config().vocabSize()))) {
                LOG.warn("score: {} records no tokenizer sha256 ({} is missing: trained by hand or by an older version); assuming {}",
                        m.candidate(), TokenizerProvenance.FILE, sweep.tokenizerFile(m.config().vocabSize()));
            }
        }
        RunLayout staged = context.staged();
        Path out = Files.createDirectories(staged.artifacts());
        List<String> val = valTexts();
        List<String> heldout = conf.heldout().isBlank() ? List.of()
                : headroom.pipelines.prep.HeldoutText.read(SweepStage.HELDOUT_KEY, conf.heldout(), spark.sparkContext().hadoopConfiguration(), conf.heldoutMaxDocs());
        Map<String, Double> baselines = conf.baselines() ? ClassicalBaselines.bitsPerByte(EvalTexts.concatenatedBytes(val)) : Map.of();
        NgramFloor.Result floor = conf.ngram().enabled() ? NgramBaseline.measure(spark, run, conf.ngram(), val, heldout) : null;
        LOG.info("score: {} models x {} plans | val {} documents{} | baselines {}", models.size(), conf.precisionPlans().size(), val.size(),
                heldout.isEmpty() ? "" : ", out-of-domain " + heldout.size() + " documents", baselines);

        ScoreTexts texts = new ScoreTexts(val, heldout, conf.allocateTargets().isEmpty() ? List.of() : calibrationTexts());
        double headBytesPerParameter = sweep.bytesPerParameter(TensorClass.EMBEDDING_HEAD);
        List<Scored> scored = parallelism == null ? scoreInDriver(sweep, texts, headBytesPerParameter, out)
                : ScoreJob.run(spark.sparkContext(), config, conf, run.root(), models, texts, headBytesPerParameter, out, context.staging(ATTEMPTS),
                parallelism);
        scored.sort(Comparator.comparingDouble(s -> s.row().bpbPost()));
        List<LeaderboardRow> leaderboard = scored.stream().map(Scored::row)
                .map(r -> floor == null ? r : r.withNgramMargins(floor.valBpb(), floor.heldoutBpb())).toList();
        List<RefinementRow> refinement = scored.stream().flatMap(s -> s.refinements().stream()).toList();
        RecordTable.write(spark, leaderboard, LeaderboardRow.class, staged.leaderboard());
        RecordTable.write(spark, refinement, RefinementRow.class, staged.refinement());
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        json.writeValue(staged.bytesPerParameter().toFile(), MeasuredBytesPerParameter.document(scored));

        Map<String, Object> summary = summary(leaderboard, val, heldout, baselines);
        Files.createDirectories(staged.reports());
        List<String> plans = conf.precisionPlans().stream().map(p -> p.name()).toList();
        List<CandidateSummaryRow> byCandidate = Designs.summary(leaderboard);
        RecordTable.write(spark, byCandidate, CandidateSummaryRow.class, staged.leaderboardByCandidate());
        // train.budget.protocol's models carry the plain names, so the trajectories read its designs
        List<HypothesisVerdicts.Design> designs = Designs.of(CandidateSelection.read(run),
                RecordTable.readCsv(RunLayout.csv(run.vocabMetrics()), VocabMetrics.class), "");
        List<HypothesisVerdicts.Verdict> verdicts = verdicts(leaderboard);
        RecordTable.write(spark, verdicts.stream().map(HypothesisVerdicts.Verdict::row).toList(), VerdictRow.class, staged.verdicts());
        summary.put("verdicts", verdicts.stream().map(v -> v.pair() + " #" + v.number() + " " + v.word().word()).toList());
        summary.put("ngram", floor == null ? null : NgramBaseline.summary(floor, conf.ngram()));
        json.writeValue(staged.scoreSummary().toFile(), summary);
        ScoreReport.write(staged.scoreReport(), leaderboard, byCandidate, refinement, baselines, conf.artifactCapBytes(), plans, models, diverged,
                floor == null ? null : new ScoreReport.Floor(floor, conf.ngram().clearMargin()));
        HypothesisReport.write(staged, staged.hypothesisReport(), staged.hypothesisMarkdown(), verdicts,
                HypothesisReport.trajectories(run.models(), designs, 0.05),
                String.format(Locale.ROOT, "Measured on %d artifacts (%d model(s) x %d precision plan(s)), val %d documents (%,d bytes)%s; "
                                + "%s; minimum effect %s bpb. Each design is compared under the plan its candidates were sized for. %s",
                        leaderboard.size(), models.size(), plans.size(), val.size(), summary.get("val_bytes"),
                        heldout.isEmpty() ? ", no out-of-domain set" : ", out-of-domain " + heldout.size() + " documents", capText(),
                        conf.hypothesis().minEffectBpb(), primaryProtocolText(leaderboard)), conf.hypothesis().minEffectBpb());
        LOG.info("score: {} artifacts, {} over the cap ({}), best under it {} in {}s; report {}", leaderboard.size(), summary.get("invalid_artifacts"),
                capText(), summary.get("best_artifact") == null ? "none" : summary.get("best_artifact") + " at "
                        + String.format(Locale.ROOT, "%.4f", (double) summary.get("best_bpb")) + " bpb",
                String.format(Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9), run.scoreReport());
        return summary;
    }

    /** One model after another in the driver (score.parallelism = 1): per model, every plan, then every allocation target. */
    private List<Scored> scoreInDriver(SweepOutputs sweep, ScoreTexts texts, double headBytesPerParameter, Path out) throws IOException {
        Device device = headroom.model.Devices.resolve(conf.device()); // loads the engine: torch's thread count can only be set after that
        if (conf.threads() > 0) JniUtils.setNumThreads(conf.threads());
        CandidateScorer scorer = new CandidateScorer(device, conf.batchSize(), conf.evalLoops(), conf.artifactCapBytes(), conf.fillBand());
        Map<Integer, EvalSet> encoded = new HashMap<>();
        ScoreProgress progress = new ScoreProgress(models.size() * (conf.precisionPlans().size() + conf.allocateTargets().size()));
        List<Scored> scored = new ArrayList<>();
        for (TrainedModel m : models) {
            long t0 = System.nanoTime();
            BpeModel tokenizer = sweep.tokenizer(m.config().vocabSize());
            EvalSet set = encoded.computeIfAbsent(m.config().vocabSize(), k -> texts.encode(tokenizer));
            List<Scored> model = scorer.score(m, tokenizer, set, conf.precisionPlans(), texts.allocate(conf, conf.allocateTargets(), tokenizer), out,
                    headBytesPerParameter);
            for (Scored s : model) progress.done(s.row(), (System.nanoTime() - t0) / 1e9 / model.size(), "");
            scored.addAll(model);
        }
        return scored;
    }

    /**
     * The criteria of every designed pair the sweep wrote, decided once per training protocol (headroom.train.budget.protocol:
     * each protocol's rows are their own seeds), the primary protocol's first; one "inconclusive" set naming the missing
     * design when there is none.
     */
    private List<HypothesisVerdicts.Verdict> verdicts(List<LeaderboardRow> leaderboard) {
        List<String> protocols = protocolsPrimaryFirst(leaderboard);
        HypothesisVerdicts.Rules rules = new HypothesisVerdicts.Rules(conf.hypothesis().minEffectBpb(), conf.hypothesis().bytesTolerance());
        List<HypothesisVerdicts.Verdict> out = new ArrayList<>();
        for (String protocol : protocols) {
            List<LeaderboardRow> rows = leaderboard.stream().filter(r -> r.protocolName().equals(protocol)).toList();
            List<HypothesisVerdicts.Design> designs = Designs.of(CandidateSelection.read(run),
                    RecordTable.readCsv(RunLayout.csv(run.vocabMetrics()), VocabMetrics.class), protocols.size() > 1 ? protocol : "");
            for (HypothesisVerdicts.Design d : designs) out.addAll(HypothesisVerdicts.decide(d, Designs.measured(rows), rules));
        }
        if (out.isEmpty()) {
            out.addAll(HypothesisVerdicts.undecided("-", "", "no hypothesis design; set headroom.hypothesis.pairs (e.g. [[512, 2048]]) "
                    + "and train.candidates = [\"hypothesis\"]"));
        }
        return out;
    }

    /** The protocols the rows were trained under, headroom.train.budget.primary first, then as listed in the conf. */
    private List<String> protocolsPrimaryFirst(List<LeaderboardRow> leaderboard) {
        TrainConf.Budget budget = TrainConf.from(config).budget();
        List<String> order = new ArrayList<>(List.of(budget.primary().word()));
        budget.protocols().forEach(p -> { if (!order.contains(p.word())) order.add(p.word()); });
        List<String> present = leaderboard.stream().map(LeaderboardRow::protocolName).distinct().toList();
        List<String> out = new ArrayList<>(order.stream().filter(present::contains).toList());
        present.stream().filter(p -> !out.contains(p)).forEach(out::add);
        return out.isEmpty() ? List.of("") : out;
    }

    /** "Primary verdicts: the bytes-matched training protocol, because ...", and which protocols follow. */
    private String primaryProtocolText(List<LeaderboardRow> leaderboard) {
        TrainConf.Budget budget = TrainConf.from(config).budget();
        List<String> protocols = protocolsPrimaryFirst(leaderboard);
        if (protocols.size() == 1) {
            return protocols.get(0).isEmpty() ? "No training protocol recorded." : "Verdicts under the " + protocols.get(0)
                    + "-matched training protocol, the only one trained.";
        }
        String primary = protocols.get(0);
        return "Primary verdicts: the " + primary + "-matched training protocol"
                + (primary.equals(budget.primary().word()) ? " (headroom.train.budget.primary), because " + budget.primaryWhy() : "")
                + ". Each pair's verdicts are given once per protocol (" + String.join(", ", protocols) + "), the protocol named after the pair.";
    }

    private Map<String, Object> summary(List<LeaderboardRow> leaderboard, List<String> val, List<String> heldout, Map<String, Double> baselines) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("artifacts", leaderboard.size());
        summary.put("invalid_artifacts", leaderboard.stream().filter(r -> !r.valid()).count());
        summary.put("out_of_band_artifacts", leaderboard.stream().filter(r -> r.sizingPlan() && r.meantToFill() && !r.inBand()).map(LeaderboardRow::artifact).toList());
        summary.put("cap_bytes", conf.capBytes());
        summary.put("code_bytes", conf.codeBytes());
        summary.put("artifact_cap_bytes", conf.artifactCapBytes());
        LeaderboardRow best = bestUnderCap(leaderboard).orElse(null);
        summary.put("best_artifact", best == null ? null : best.artifact());
        summary.put("best_bpb", best == null ? null : best.bpbPost());
        summary.put("val_documents", val.size());
        summary.put("val_bytes", EvalTexts.concatenatedBytes(val).length);
        summary.put("heldout_documents", heldout.size());
        summary.put("baselines_bpb", baselines);
        summary.put("byte_audit", "passed on every evaluated stream");
        summary.put("diverged_candidates", diverged.stream().map(TrainedModel.Diverged::candidate).toList());
        return summary;
    }

    /** The best artifact an entry could submit: the first of the leaderboard (best bpb first) that is under the cap. */
    static java.util.Optional<LeaderboardRow> bestUnderCap(List<LeaderboardRow> leaderboard) {
        return leaderboard.stream().filter(LeaderboardRow::valid).findFirst();
    }

    private String capText() {
        return conf.codeBytes() == 0 ? String.format(Locale.ROOT, "cap %,d bytes", conf.capBytes())
                : String.format(Locale.ROOT, "cap %,d bytes less %,d for code = %,d for the artifact", conf.capBytes(), conf.codeBytes(), conf.artifactCapBytes());
    }

    /** The val split in doc_id order (the sweep's order), at most score.val-max-docs documents. */
    private List<String> valTexts() {
        Dataset<Row> val = spark.read().parquet(run.corpus("val").toString()).orderBy("doc_id");
        if (conf.valMaxDocs() > 0) val = val.limit(conf.valMaxDocs());
        List<String> texts = val.select("text").as(Encoders.STRING()).collectAsList();
        if (texts.isEmpty()) throw new IllegalStateException("the val split in " + run.corpus() + " is empty: nothing to score on");
        return texts;
    }

    /**
     * The byte allocator's calibration sample: the first train documents in doc_id order, enough for
     * score.allocate.calibration-tokens at any vocabulary (at least 8 tokens per document). Never val.
     */
    private List<String> calibrationTexts() {
        return spark.read().parquet(run.corpus("train").toString()).orderBy("doc_id")
                .limit(Math.max(16, conf.calibrationTokens() / 8)).select("text").as(Encoders.STRING()).collectAsList();
    }

    private static String succeeded(Manifest manifest, String stage, String what, String command) {
        return manifest.stage(stage).filter(r -> r.status() == StageRecord.Status.SUCCEEDED).map(StageRecord::fingerprint)
                .orElseThrow(() -> new ConfException("score needs " + what + ": run 'headroom " + command + "' first"));
    }
}
