package headroom.pipelines.sweep;

import headroom.pipelines.run.PipelineStage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import headroom.artifact.quant.PrecisionPlan;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import headroom.pipelines.conf.ConfException;
import headroom.pipelines.conf.ConfReader;
import headroom.pipelines.train.TrainConf;
import headroom.model.TrainConfig;
import headroom.pipelines.conf.HeadroomConf;
import headroom.pipelines.prep.HeldoutText;
import headroom.pipelines.prep.PrepStage;
import headroom.pipelines.run.CodeFingerprint;
import headroom.pipelines.run.Manifest;
import headroom.pipelines.run.RunLayout;
import headroom.pipelines.run.Stage;
import headroom.pipelines.run.StageContext;
import headroom.pipelines.run.StageSpec;
import headroom.pipelines.run.StageRecord;
import headroom.pipelines.spark.JobScope;
import headroom.pipelines.spark.RecordTable;
import headroom.pipelines.sweep.SweepRows.BudgetRow;
import headroom.pipelines.sweep.SweepRows.Candidate;
import headroom.pipelines.sweep.SweepRows.ReferenceMetrics;
import headroom.pipelines.sweep.SweepRows.VocabMetrics;
import headroom.tokenizer.BpeModel;
import headroom.tokenizer.BpeTrainer;
import headroom.tokenizer.MergeStep;
import headroom.tokenizer.ReferenceTokenizers;
import headroom.tokenizer.TokenizerAsset;
import headroom.tokenizer.TokenizerJson;
import headroom.model.BudgetFit;
import headroom.model.CandidateNames;
import headroom.core.TensorClass;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * sweep: one BPE run on the train split's pre-token counts yields every vocabulary size; each
 * size is exported as tokenizer.json and measured (train tokens exact from the merges; val and
 * out-of-domain by encoding through DJL), then priced by the budget model. Writes {@link RunLayout#sweep()}:
 * each size's tokenizer and compressed asset, the whole merge list with counts (every size is a prefix), one
 * metrics row per vocabulary size, the reference tokenizers (GPT-2 / cl100k / o200k) on the same text, the budget
 * (vocabulary x head mode x width) and the candidates (the widest fitting model per vocabulary and head mode);
 * and the page {@code report/sweep.html}.
 */
public final class SweepStage implements Stage {

    /** The out-of-domain set's conf key, named by errors about its files. */
    public static final String HELDOUT_KEY = "headroom.sweep.heldout";

    public static final String NAME = "sweep";
    private static final Logger LOG = LoggerFactory.getLogger(SweepStage.class);

    private final SparkSession spark;
    private final Config config;
    private final SweepConf conf;
    private final BudgetFit.Recipe recipe;
    private final RunLayout run;
    private final Map<String, String> inputs = new LinkedHashMap<>();
    private String measuredSource = "";

    /** The stage: planning checks its conf sections, the prep stage's record and the out-of-domain files. */
    public static PipelineStage<SweepStage> of(SparkSession spark, Config config) {
        return PipelineStage.of(NAME, run -> new SweepStage(spark, config, run.root()));
    }

    private SweepStage(SparkSession spark, Config config, java.nio.file.Path runDir) {
        this.spark = spark;
        this.config = config;
        this.conf = SweepConf.from(config);
        this.recipe = RecipeConf.from(config);
        this.run = new RunLayout(runDir);
        StageRecord prep = Manifest.load(runDir).stage(PrepStage.NAME)
                .filter(r -> r.status() == StageRecord.Status.SUCCEEDED)
                .orElseThrow(() -> new ConfException("sweep needs a prepared corpus in " + runDir + ": run 'headroom prep' first"));
        inputs.put("prep", prep.fingerprint());
        if (!conf.heldout().isBlank()) inputs.putAll(headroom.pipelines.prep.InputFiles.list(HELDOUT_KEY, List.of(conf.heldout()),
                spark.sparkContext().hadoopConfiguration()).fingerprints());
        if (!conf.budget().measuredBytesPerParameter().isBlank()) {
            inputs.put("measured-bytes-per-param", readText(conf.budget().measuredBytesPerParameter()));
        }
    }

    @Override
    public StageSpec spec() {
        // The design's pairs and head mode and the sizing plan shape the candidates; the score-only keys stay out, and so
        // does the predictor's law, which only the rank stage reads: a new law re-ranks without re-running the sweep.
        String sweepSection = config.getConfig(SweepConf.SECTION).withoutPath("predictor").root()
                .render(ConfigRenderOptions.concise().setFormatted(false));
        String snapshot = sweepSection + HeadroomConf.render(config, RecipeConf.SECTION)
                + HeadroomConf.render(config, HypothesisConf.SECTION + ".pairs") + HeadroomConf.render(config, HypothesisConf.SECTION + ".head-mode")
                + "\nplans=" + SweepConf.plans(config).stream().map(PrecisionPlan::name).toList();
        return new StageSpec(NAME, CodeFingerprint.of(SweepStage.class), snapshot, inputs, List.of(RunLayout.RELATIVE.sweep().toString(), RunLayout.RELATIVE.sweepReport().toString()));
    }

    @Override
    public Map<String, Object> execute(StageContext context) throws Exception {
        RunLayout out = context.staged();
        Files.createDirectories(out.sweep());
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());

        long t0 = System.nanoTime();
        PieceCounter.Counts counts = PieceCounter.count(
                spark.read().parquet(context.finished().corpus("train").toString()),
                conf.maxDistinctPieces(), conf.minPieceCount());
        LOG.info("sweep: {} train documents, {} distinct pre-tokens, {} kept for training ({}% of train bytes dropped by the cap)",
                counts.documents(), counts.distinct(), counts.kept(), String.format("%.3f", 100 * counts.droppedShare()));
        double countSeconds = (System.nanoTime() - t0) / 1e9;

        long t1 = System.nanoTime();
        // Driver-only and long on a real corpus: watched, so that a cancelled job group stops it.
        BpeModel bpe = JobScope.watchForCancel(() -> new BpeTrainer(conf.bpeConfig()).train(counts.counts()));
        double trainSeconds = (System.nanoTime() - t1) / 1e9;
        List<Integer> sizes = conf.vocabSizes().stream().filter(v -> v <= bpe.vocabSize()).toList();
        List<Integer> dropped = conf.vocabSizes().stream().filter(v -> v > bpe.vocabSize()).toList();
        if (!dropped.isEmpty()) {
            LOG.warn("sweep: the train split supports only {} ids (no pair left with count >= {}); sizes {} are left out of the sweep",
                    bpe.vocabSize(), conf.minPairCount(), dropped);
        }
        if (sizes.isEmpty()) {
            throw new IllegalStateException("the train split is too small for any requested vocabulary size " + conf.vocabSizes()
                    + ": BPE stops at " + bpe.vocabSize() + " ids; add text or lower headroom.sweep.min-pair-count");
        }
        writeMerges(bpe, out.merges());

        Map<String, byte[]> tokenizerFiles = new LinkedHashMap<>();
        Map<Integer, Long> assetBytes = new LinkedHashMap<>();
        for (int v : sizes) {
            BpeModel m = bpe.truncate(v);
            Files.createDirectories(out.tokenizerJson(v).getParent());
            TokenizerJson.write(m, out.tokenizerJson(v));
            byte[] asset = TokenizerAsset.encode(m);
            Files.write(out.tokenizerAsset(v), asset);
            assetBytes.put(v, (long) asset.length);
            tokenizerFiles.put(CandidateNames.vocab(v), Files.readAllBytes(out.tokenizerJson(v)));
        }

        long t2 = System.nanoTime();
        JavaRDD<String> val = valTexts(context.finished());
        Map<String, EncodingMeasurement.Totals> valTotals = EncodingMeasurement.measure(jsc, val, "val", tokenizerFiles, conf.referenceTokenizers());
        Map<String, EncodingMeasurement.Totals> heldoutTotals = conf.heldout().isBlank() ? Map.of()
                : EncodingMeasurement.measure(jsc, heldoutTexts(jsc), "heldout", tokenizerFiles, conf.referenceTokenizers());
        double encodeSeconds = (System.nanoTime() - t2) / 1e9;

        List<VocabMetrics> metrics = new ArrayList<>();
        long trainBytes = BpeTrainer.byteCount(counts.counts());
        for (int v : sizes) {
            int merges = v - bpe.firstMergeId();
            long lastCount = merges == 0 ? 0 : bpe.merges().get(merges - 1).count();
            long trainTokens = bpe.trainTokens(trainBytes, v);
            metrics.add(new VocabMetrics(v, merges, lastCount, trainTokens, trainBytes, (double) trainTokens / trainBytes,
                    valTotals.get(CandidateNames.vocab(v)).tokensPerByte(), tpb(heldoutTotals, CandidateNames.vocab(v)), assetBytes.get(v)));
        }
        List<ReferenceMetrics> references = new ArrayList<>();
        for (String ref : conf.referenceTokenizers()) {
            references.add(new ReferenceMetrics(ref, ReferenceTokenizers.vocabSize(ref), valTotals.get(ref).tokensPerByte(), tpb(heldoutTotals, ref)));
        }
        JsonNode measured = measuredBytesPerParameter();
        List<PrecisionPlan> plans = SweepConf.plans(config);
        int calibrationSteps = new ConfReader(config, SweepConf.SECTION + ".budget").intIn("calibration-steps", 0, 1_000_000);
        if (measured == null && calibrationSteps > 0 && !conf.hypothesis().pairs().isEmpty()) {
            measured = calibrate(out, bpe, metrics, plans, calibrationSteps, counts);
        }
        List<BudgetTables.Inputs> byPlan = new ArrayList<>();
        for (int i = 0; i < plans.size(); i++) byPlan.add(inputs(plans.get(i), i == 0 ? "" : "-" + PlanBytes.tag(plans.get(i).name()), measured));
        BudgetTables.Inputs budgetInputs = byPlan.get(0);
        Map<TensorClass, Double> bpp = budgetInputs.bytesPerParameter();
        List<BudgetRow> budget = BudgetTables.budgetRows(metrics, budgetInputs);
        List<Candidate> candidates = new ArrayList<>(BudgetTables.candidates(metrics, budgetInputs));
        // the design under every plan it is scored under, so that each comparison is at matched bytes under its own plan
        for (BudgetTables.Inputs in : byPlan) {
            candidates.addAll(BudgetTables.design(metrics, conf.hypothesis().pairs(), conf.hypothesis().headMode(), in));
        }
        for (Candidate c : candidates) {
            LOG.info(String.format(Locale.ROOT, "sweep: %-28s %s%s | %,d bytes estimated (%.1f%% of the cap) | T %d tokens = %.0f bytes%s",
                    c.name(), c.role().isEmpty() ? "" : c.role() + " of " + c.pair() + " | ", c.fills() ? "fills" : "does not fill",
                    c.estimatedBytes(), 100 * c.fill(), c.seqLen(), c.contextBytes(), c.note().isEmpty() ? "" : " | " + c.note()));
        }

        RecordTable.write(spark, metrics, VocabMetrics.class, out.vocabMetrics());
        RecordTable.write(spark, references, ReferenceMetrics.class, out.sweepTable("references"));
        RecordTable.write(spark, budget, BudgetRow.class, out.sweepTable("budget"));
        RecordTable.write(spark, candidates, Candidate.class, out.candidates());

        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("vocab_sizes", sizes);
        summary.put("vocab_sizes_left_out", dropped);
        summary.put("train_documents", counts.documents());
        summary.put("distinct_pretokens", counts.distinct());
        summary.put("pretokens_kept", counts.kept());
        summary.put("train_bytes_dropped_by_cap_share", counts.droppedShare());
        String first = CandidateNames.vocab(sizes.get(0));
        summary.put("val_documents", valTotals.get(first).documents());
        summary.put("val_bytes", valTotals.get(first).bytes());
        summary.put("heldout_documents", heldoutTotals.isEmpty() ? 0 : heldoutTotals.get(first).documents());
        summary.put("byte_audit", "passed on every val" + (heldoutTotals.isEmpty() ? "" : " and held-out") + " document at every size");
        summary.put("sizing_plan", conf.sizingPlan().name());
        summary.put("bytes_per_parameter", bpp);
        Map<String, Object> sizing = new LinkedHashMap<>();
        for (BudgetTables.Inputs in : byPlan) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name_tag", in.nameTag());
            e.put("bytes_per_parameter", in.bytesPerParameter());
            e.put("by_vocab", in.byVocab());
            e.put("overhead_bytes", in.budget().overheadBytes());
            sizing.put(in.plan(), e);
        }
        summary.put("sizing_by_plan", sizing);
        summary.put("bytes_per_parameter_source", measured == null ? "priors (headroom.sweep.budget.bytes-per-param)" : measuredSource);
        summary.put("context", conf.context().protocol().equals(ContextLength.BYTES)
                ? conf.context().contextBytes() + " bytes (T = context bytes x train tokens per byte)" : conf.context().seqLen() + " tokens");
        summary.put("seconds_count_pretokens", round(countSeconds));
        summary.put("seconds_train_bpe", round(trainSeconds));
        summary.put("seconds_encode", round(encodeSeconds));
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.sweepSummary().toFile(), summary);

        java.nio.file.Path report = out.sweepReport();
        Files.createDirectories(report.getParent());
        SweepReport.write(report, metrics, references, budget, candidates, conf, summary);
        LOG.info("sweep: {} sizes {} in {}s (count {}s, BPE {}s, encode {}s); report {}", sizes.size(), sizes,
                round((System.nanoTime() - t0) / 1e9), round(countSeconds), round(trainSeconds), round(encodeSeconds),
                run.sweepReport());
        return summary;
    }

    private JavaRDD<String> valTexts(RunLayout finished) {
        var val = spark.read().parquet(finished.corpus("val").toString()).orderBy("doc_id");
        if (conf.valMaxDocs() > 0) val = val.limit(conf.valMaxDocs());
        return val.select("text").as(org.apache.spark.sql.Encoders.STRING()).javaRDD();
    }

    private JavaRDD<String> heldoutTexts(JavaSparkContext jsc) throws IOException {
        List<String> docs = HeldoutText.read(HELDOUT_KEY, conf.heldout(), spark.sparkContext().hadoopConfiguration(), 0);
        return jsc.parallelize(docs, Math.max(1, jsc.defaultParallelism()));
    }

    /**
     * The short calibration (SweepCalibration) on the designed A and C of the first plan, sized on the priors; written to
     * sweep/bytes-per-param-calibration.json and read like a scored run's bytes-per-param.json.
     */
    private JsonNode calibrate(RunLayout out, BpeModel bpe, List<VocabMetrics> metrics, List<PrecisionPlan> plans, int steps,
                               PieceCounter.Counts counts) throws IOException {
        BudgetTables.Inputs priors = inputs(plans.get(0), "", null);
        List<Candidate> models = BudgetTables.design(metrics, conf.hypothesis().pairs(), conf.hypothesis().headMode(), priors).stream()
                .filter(c -> (c.role().equals("A") || c.role().equals("C")) && c.dModel() > 0).toList();
        TrainConfig train = TrainConf.from(config).train();
        // enough train text for the steps at the widest context, from the average document
        double contextBytes = models.stream().mapToDouble(Candidate::contextBytes).max().orElse(0);
        double docBytes = Math.max(1, (double) BpeTrainer.byteCount(counts.counts()) / Math.max(1, counts.documents()));
        int docs = (int) Math.min(Integer.MAX_VALUE, Math.ceil(1.2 * steps * train.batchSize() * contextBytes / docBytes) + 16);
        List<String> documents = spark.read().parquet(run.corpus("train").toString()).orderBy("doc_id").limit(docs).select("text")
                .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
        Map<Integer, BpeModel> tokenizers = new LinkedHashMap<>();
        for (Candidate c : models) tokenizers.computeIfAbsent(c.vocabSize(), bpe::truncate);
        java.nio.file.Path work = Files.createTempDirectory("headroom-calibration");
        Map<String, Object> doc;
        try {
            doc = SweepCalibration.measure(models, tokenizers, plans, recipe, train, steps, documents, work);
        } finally {
            try (var walk = Files.walk(work)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        json.writeValue(out.sweep().resolve(CALIBRATION_FILE).toFile(), doc);
        measuredSource = "the sweep's calibration (sweep/" + CALIBRATION_FILE + ", " + doc.get("calibration") + ")";
        LOG.info("sweep: calibrated bytes per parameter in {}", doc.get("calibration"));
        return json.valueToTree(doc);
    }

    /** The calibration's measurement, beside the sweep's tables. */
    static final String CALIBRATION_FILE = "bytes-per-param-calibration.json";

    /** The scored run's bytes-per-param.json when one is named; null otherwise. */
    private JsonNode measuredBytesPerParameter() throws IOException {
        String path = conf.budget().measuredBytesPerParameter();
        if (path.isBlank()) return null;
        measuredSource = path;
        return new ObjectMapper().readTree(readText(path));
    }

    /**
     * One plan's sizing inputs: its bytes per parameter, measured (by plan, and by vocabulary where measured) when a
     * measurement exists, else the priors; the measured container overhead instead of the conf's allowance.
     */
    private BudgetTables.Inputs inputs(PrecisionPlan plan, String tag, JsonNode measured) {
        Map<TensorClass, Double> planLevel = measured == null ? PlanBytes.prior(plan, conf.budget().bytesPerParameter())
                : PlanBytes.measuredOrPrior(plan, conf.budget().bytesPerParameter(), measured);
        Map<Integer, Map<TensorClass, Double>> byVocab = PlanBytes.byVocab(plan, planLevel, measured);
        SweepConf.Budget b = conf.budget();
        SweepConf.Budget budget = b.withOverhead(PlanBytes.overhead(measured, b.overheadBytes()));
        LOG.info("sweep: sizing under {}{}: bytes per parameter {}{}, overhead {} bytes", plan.name(), tag.isEmpty() ? "" : " (names " + tag + ")",
                planLevel, byVocab.isEmpty() ? "" : ", by vocabulary " + byVocab, budget.overheadBytes());
        return new BudgetTables.Inputs(budget, plan.name(), planLevel, recipe, conf.context(), byVocab, tag);
    }

    private static String readText(String path) {
        try {
            return Files.readString(java.nio.file.Path.of(path));
        } catch (IOException e) {
            throw new ConfException("conf key headroom.sweep.budget.measured-bytes-per-param: cannot read " + path + " (" + e.getMessage() + ")");
        }
    }

    private static void writeMerges(BpeModel bpe, java.nio.file.Path file) throws IOException {
        StringBuilder s = new StringBuilder("rank\tleft\tright\tnew_id\tcount\n");
        int rank = 0;
        for (MergeStep m : bpe.merges()) {
            s.append(rank++).append('\t').append(m.left()).append('\t').append(m.right()).append('\t')
                    .append(m.newId()).append('\t').append(m.count()).append('\n');
        }
        Files.writeString(file, s.toString(), StandardCharsets.UTF_8);
    }

    private static double tpb(Map<String, EncodingMeasurement.Totals> totals, String key) {
        EncodingMeasurement.Totals t = totals.get(key);
        return t == null ? Double.NaN : t.tokensPerByte();
    }

    private static double round(double s) {
        return Math.round(s * 100) / 100.0;
    }

}
