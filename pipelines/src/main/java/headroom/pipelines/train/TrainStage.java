package headroom.pipelines.train;

import headroom.pipelines.spark.TaskParallelism;
import headroom.pipelines.run.PipelineStage;
import headroom.model.train.TrainLog;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import headroom.pipelines.conf.ConfException;
import headroom.pipelines.conf.HeadroomConf;
import headroom.pipelines.run.Fingerprint;
import headroom.pipelines.run.CodeFingerprint;
import headroom.pipelines.run.Manifest;
import headroom.pipelines.run.RunLayout;
import headroom.pipelines.run.Stage;
import headroom.pipelines.run.StageContext;
import headroom.pipelines.run.StageSpec;
import headroom.pipelines.run.StageRecord;
import headroom.pipelines.run.StageRunner;
import headroom.pipelines.sweep.ContextLength;
import headroom.pipelines.sweep.RecipeConf;
import headroom.pipelines.sweep.SweepRows.Candidate;
import headroom.pipelines.tokenize.CandidateSelection;
import headroom.pipelines.tokenize.TokenizeStage;
import headroom.pipelines.tokenize.TokenizedSplits;
import headroom.tokenizer.TokenizerJson;
import headroom.core.TokenStream;
import headroom.model.CandidateNames;
import headroom.model.ModelConfig;
import headroom.model.ParameterCount;
import headroom.model.TrainConfig;
import headroom.model.nn.ModelFiles;
import headroom.model.train.LrPilot;
import headroom.model.train.PeakFlops;
import headroom.model.train.StopRequest;
import headroom.model.train.TrainResult;
import headroom.model.train.Trainer;
import headroom.model.train.TrainingDivergedException;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;
import headroom.core.io.Sha256;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * train: one stage per (candidate, seed) ({@code train/<candidate>-s<seed>}), so each is cached, published
 * and resumed on its own: each is a unit of the planned stage ({@link #all}; a study's runs: {@link #studyRuns}),
 * a function of the candidate, the seed, the conf and the run directory alone. The model trains in
 * {@link TrainWorkDir} (outside staging, so checkpoints survive a kill); a killed or stopped run of the same
 * fingerprint resumes from its latest
 * checkpoint, and the finished files are copied into staging for the runner to publish: into
 * {@link RunLayout#model} (the model named by {@link CandidateNames#model}) and its page {@link RunLayout#trainReport}.
 * <pre>
 * model.json, weights.bin   the final weights (LmModel.load)
 * train_log.csv             one row per step, val columns on evaluation steps
 * train_state.json          the final checkpoint's counters and both configs
 * result.json, loss.svg     the summary and the loss curve
 * diverged.json             instead of the weights, when the loss or a gradient went non-finite
 * tokenizer.sha256          the SHA-256 of the tokenizer.json it was trained with
 * run.json                  candidate, seed, protocol, T, bytes seen (TrainRun)
 * </pre>
 */
public final class TrainStage implements Stage {

    public static final String NAME_PREFIX = "train/";
    /** A study run's stage is {@code study/train/<run>}. */
    private static final String STUDY_PREFIX = "study/";
    /** The count a diverged candidate's stage records (see {@link #publishDiverged}). */
    static final String DIVERGED = "diverged";
    static final String LR_PILOT_DIR = "lr-pilot";
    private static final Logger LOG = LoggerFactory.getLogger(TrainStage.class);
    private static final ObjectMapper PILOT_JSON = new ObjectMapper();
    /**
     * How a training in the driver stops: a cancelled job group or an interrupted thread stops it at the next step
     * (checkpointed, FAILED). A training that runs as a Spark task is rebuilt there with a Trainer that watches the task's
     * kill instead ({@link TrainTask}).
     */
    private static final StopRequest CANCELLED = step -> headroom.pipelines.spark.JobScope.cancelRequested();

    private final Config config;
    private final Candidate candidate;
    private final long seed;
    private final String modelName;   // <candidate>-s<seed>, or a study run's c<cap>-<candidate>-s<seed>
    private final boolean study;      // a study run: study/models/, study/report/ and study/train/ instead of models/, report/, train/
    private final TrainConf trainConf;
    private final ModelConfig model;
    private final TrainConf.Protocol protocol;
    private final double flops;        // the flops protocol's common budget
    private final TrainConfig train;   // its lr the template's until the pilot chooses one (execute)
    private final Path pilotDir;       // .work/train/lr-pilot: one pilot result per candidate, shared by its seeds and protocols
    private final TrainWorkDir workDir;
    private final Map<String, String> inputs = new LinkedHashMap<>();
    private final boolean force;
    private final boolean resume;
    private final Trainer trainer;
    private final PeakFlops peakFlops;   // measured once per process and device, by the first run that trains

    TrainStage(Config config, Path runDir, Candidate candidate, long seed, String tokenizeFingerprint, boolean force, boolean resume,
               Trainer trainer) {
        this(config, runDir, candidate, seed, CandidateNames.model(candidate.name(), seed), false, tokenizeFingerprint, force, resume, trainer,
                TrainConf.from(config).budget().protocol(), Double.NaN);
    }

    /**
     * {@code protocol} and {@code flops}: the budget this run is matched under, and the common FLOPs budget of the flops
     * protocol (NaN: resolved over this candidate alone, {@link TrainConf#forRun(Candidate, ModelConfig, long)}).
     */
    TrainStage(Config config, Path runDir, Candidate candidate, long seed, String modelName, boolean study,
               String tokenizeFingerprint, boolean force, boolean resume, Trainer trainer, TrainConf.Protocol protocol, double flops) {
        this.config = config;
        this.candidate = candidate;
        this.seed = seed;
        this.modelName = modelName;
        this.study = study;
        this.trainConf = TrainConf.from(config);
        this.model = CandidateModel.config(candidate, RecipeConf.from(config));
        this.protocol = protocol;
        this.flops = Double.isNaN(flops) ? trainConf.commonFlops(List.of(new TrainConf.Arm(candidate, model))) : flops;
        this.train = trainConf.forRun(candidate, model, seed, protocol, this.flops);
        RunLayout run = RunLayout.of(runDir);
        this.pilotDir = run.trainWork().resolve(LR_PILOT_DIR);
        this.workDir = new TrainWorkDir(study ? run.studyTrainWork(modelName) : run.trainWork(modelName));
        this.force = force;
        this.resume = resume;
        this.trainer = trainer;
        TrainConfig base = trainConf.train();
        this.peakFlops = PeakFlops.shared(base.device(), base.threads());
        inputs.put(TokenizeStage.NAME, tokenizeFingerprint);
        // what the run is, not which table row named it: a design row and a per-vocabulary row of one model share their runs
        inputs.put("model", model.toMap().toString());
        inputs.put("run", train.toMap().toString());
        inputs.put("protocol", trainConf.protocolLabel(protocol, this.flops));
    }

    /**
     * Published: the checkpoints were only there to survive a kill, so the work dir goes. A diverged run keeps its
     * last good checkpoint for whoever investigates it.
     */
    void cleanUpAfter(StageRunner.Outcome outcome) {
        if (!outcome.skipped() && !diverged(outcome)) workDir.delete();
    }

    /**
     * The train stage: every candidate of {@code headroom.train.candidates}, or only {@code onlyCandidate} (a full sweep
     * name or a {@code v{V}-{head}} selector), once per seed of {@code headroom.train.seeds}, each its own unit. Planning
     * checks the conf, the tokenize stage's record, the candidates and the parallelism the cluster allows, before any
     * Spark job. The units run one after another in the driver under {@code headroom.train.parallelism = 1}, else as one
     * Spark job with a task per training ({@link TrainJob}). {@code resume} insists on continuing from a checkpoint (and
     * fails when there is none); without it a checkpoint of the same run is resumed anyway unless the runner forces a
     * fresh run.
     */
    public static PipelineStage<TrainStage> all(SparkSession spark, Config config, Optional<String> onlyCandidate, boolean resume) {
        return new All(spark, config, onlyCandidate, resume);
    }

    private record All(SparkSession spark, Config config, Optional<String> onlyCandidate, boolean resume) implements PipelineStage<TrainStage> {
        @Override
        public String name() {
            return "train";
        }

        @Override
        public List<TrainStage> plan(RunLayout run, boolean force) {
            return TrainStage.plan(spark, config, run.root(), force, onlyCandidate, resume);
        }

        @Override
        public List<StageRunner.Outcome> run(StageRunner runner, List<TrainStage> units) {
            return runAll(spark, TrainConf.from(config), runner, units);
        }

        @Override
        public boolean inDriver() {
            return TrainConf.from(config).parallelism() == 1;
        }
    }

    private static List<TrainStage> plan(SparkSession spark, Config config, Path runDir, boolean force, Optional<String> onlyCandidate,
                                         boolean resume) {
        TrainConf trainConf = TrainConf.from(config);
        List<TrainStage> stages = stages(config, runDir, force, onlyCandidate, resume, CANCELLED);
        if (trainConf.parallelism() != 1) parallelism(spark, trainConf);
        return stages;
    }

    private static List<StageRunner.Outcome> runAll(SparkSession spark, TrainConf trainConf, StageRunner runner, List<TrainStage> stages) {
        TorchThreads.configureBeforeEngineLoads(trainConf.train().threads());
        int activeJobs = headroom.pipelines.spark.JobScope.otherActiveJobs(spark.sparkContext());
        if (activeJobs > 0) {
            LOG.warn("train: {} Spark job(s) are running in this session; torch and Spark tasks will compete for the cores", activeJobs);
        }
        if (trainConf.parallelism() == 1) {
            List<StageRunner.Outcome> outcomes = new ArrayList<>();
            try (TrainProgress progress = TrainProgress.start(stages, 1)) {
                for (TrainStage stage : stages) {
                    outcomes.add(stage.runWith(runner));
                    progress.done(stage);
                }
            }
            return outcomes;
        }
        return TrainJob.run(spark.sparkContext(), runner, stages, parallelism(spark, trainConf));
    }

    private static TaskParallelism parallelism(SparkSession spark, TrainConf trainConf) {
        return TaskParallelism.resolve(TrainConf.PARALLELISM_KEY, trainConf.parallelism(), trainConf.train().threads(),
                TaskParallelism.Cluster.of(spark.sparkContext()));
    }

    /**
     * A study's runs (headroom study), each its own unit {@code study/train/<runName>}: the candidate trained under the run's
     * conf (train.seed set to the run's seed) into {@code study/models/<runName>/}, so a finished run is skipped and a killed
     * one resumes from its checkpoint. The units run one after another in the driver under
     * {@code headroom.train.parallelism = 1} (the study shows its own progress), else as one Spark job with a task per run
     * ({@link TrainJob}); {@code config} is the study's, whose train section every run shares but for the seed.
     */
    public static PipelineStage<TrainStage> studyRuns(SparkSession spark, Config config, List<StudyTraining> runs, String tokenizeFingerprint) {
        return new StudyRuns(spark, config, List.copyOf(runs), tokenizeFingerprint);
    }

    /** One study run to train: its conf (train.seed set to the run's seed), its candidate and its name. */
    public record StudyTraining(Config config, Candidate candidate, String runName) {
    }

    private record StudyRuns(SparkSession spark, Config config, List<StudyTraining> runs, String tokenizeFingerprint)
            implements PipelineStage<TrainStage> {
        @Override
        public String name() {
            return STUDY_PREFIX + "train";
        }

        @Override
        public List<TrainStage> plan(RunLayout run, boolean force) {
            TrainConf trainConf = TrainConf.from(config);
            List<TrainStage> units = runs.stream().map(r -> new TrainStage(r.config(), run.root(), r.candidate(),
                    TrainConf.from(r.config()).train().seed(), r.runName(), true, tokenizeFingerprint, false, false, new Trainer(CANCELLED),
                    trainConf.budget().protocol(), Double.NaN))
                    .toList();
            if (trainConf.parallelism() != 1) parallelism(spark, trainConf);
            return units;
        }

        @Override
        public List<StageRunner.Outcome> run(StageRunner runner, List<TrainStage> units) {
            TrainConf trainConf = TrainConf.from(config);
            TorchThreads.configureBeforeEngineLoads(trainConf.train().threads());
            if (!inDriver()) return TrainJob.run(spark.sparkContext(), runner, units, parallelism(spark, trainConf));
            return units.stream().map(u -> u.runWith(runner)).toList();
        }

        @Override
        public boolean inDriver() {
            return TrainConf.from(config).parallelism() == 1;
        }
    }

    private StageRunner.Outcome runWith(StageRunner runner) {
        StageRunner.Outcome outcome = runner.run(this);
        cleanUpAfter(outcome);
        return outcome;
    }

    /** Whether the stage published a diverged.json instead of weights (see {@link #publishDiverged}). */
    public static boolean diverged(StageRunner.Outcome outcome) {
        return Boolean.TRUE.equals(outcome.record().outputs().get(DIVERGED));
    }

    private static List<Candidate> chosen(Config config, Path runDir, Optional<String> onlyCandidate) {
        tokenizeFingerprint(runDir);
        List<String> names = onlyCandidate.map(List::of).orElse(TrainConf.from(config).candidates());
        return CandidateSelection.select(names, new RunLayout(runDir));
    }

    private static String tokenizeFingerprint(Path runDir) {
        return Manifest.load(runDir).stage(TokenizeStage.NAME)
                .filter(r -> r.status() == StageRecord.Status.SUCCEEDED).map(StageRecord::fingerprint)
                .orElseThrow(() -> new ConfException("train needs token shards in " + runDir + ": run 'headroom tokenize' first"));
    }

    static List<TrainStage> stages(Config config, Path runDir, boolean force, Optional<String> onlyCandidate, boolean resume,
                                   StopRequest stopRequest) {
        String tokenize = tokenizeFingerprint(runDir);
        TrainConf trainConf = TrainConf.from(config);
        var recipe = RecipeConf.from(config);
        List<Candidate> chosen = chosen(config, runDir, onlyCandidate);
        // the FLOPs budget is common to every candidate the conf trains, also when one is trained alone (onlyCandidate)
        List<Candidate> all = onlyCandidate.isPresent() ? chosen(config, runDir, Optional.empty()) : chosen;
        double flops = trainConf.commonFlops(all.stream().map(c -> new TrainConf.Arm(c, CandidateModel.config(c, recipe))).toList());
        List<TrainStage> out = new ArrayList<>();
        for (TrainConf.Protocol protocol : trainConf.budget().protocols()) {
            for (Candidate c : chosen) {
                for (long seed : trainConf.seeds()) {
                    out.add(new TrainStage(config, runDir, c, seed, trainConf.modelName(c.name(), seed, protocol), false, tokenize, force, resume,
                            new Trainer(stopRequest), protocol, flops));
                }
            }
        }
        return out;
    }

    @Override
    public StageSpec spec() {
        return new StageSpec((study ? STUDY_PREFIX : "") + NAME_PREFIX + modelName, CodeFingerprint.of(TrainStage.class), stageConfSnapshot(), inputs, List.of(modelOutput(), reportOutput()));
    }

    /**
     * The train section without its candidate list and seeds (adding a candidate or a seed must not retrain the others; the
     * run's own seed is among the inputs), nor its protocol list and the primary protocol (adding a protocol must not
     * retrain the others' runs; the run's own protocol and budget are among the inputs), nor its parallelism (any gives
     * the same result), and the model section.
     */
    private String stageConfSnapshot() {
        String trainSection = config.getConfig(TrainConf.SECTION).withoutPath("candidates").withoutPath("seeds").withoutPath("seed")
                .withoutPath("budget.protocol").withoutPath("budget.primary").withoutPath("budget.primary-why")
                .withoutPath("parallelism").root()
                .render(ConfigRenderOptions.concise().setFormatted(false));
        return trainSection + HeadroomConf.render(config, RecipeConf.SECTION);
    }

    String modelOutput() {
        return (study ? RunLayout.RELATIVE.studyModel(modelName) : RunLayout.RELATIVE.model(modelName)).toString();
    }

    String reportOutput() {
        return (study ? RunLayout.RELATIVE.studyTrainReport(modelName) : RunLayout.RELATIVE.trainReport(modelName)).toString();
    }

    TrainWorkDir workDir() {
        return workDir;
    }

    /** {@code <candidate>-s<seed>}, or a study run's name. */
    String modelName() {
        return modelName;
    }

    /** The run's training settings (its step horizon, for progress). */
    TrainConfig trainConfig() {
        return train;
    }

    /**
     * What an executor needs to run this stage as a Spark task: the conf, the candidate and the run directory as plain data.
     * Only the first attempt starts afresh under --force; a retried attempt resumes the first one's checkpoint.
     */
    TrainTask task(Path runDir) {
        return TrainTask.of(config, runDir, candidate, seed, modelName, study, inputs.get(TokenizeStage.NAME), force, resume, protocol, flops);
    }

    @Override
    public Map<String, Object> execute(StageContext context) throws Exception {
        RunLayout finished = context.finished();
        int vocabSize = candidate.vocabSize();
        TokenStream trainTokens = TokenizedSplits.read(finished, vocabSize, "train");
        TokenStream valTokens = TokenizedSplits.read(finished, vocabSize, "val");
        int[] tokenByteLengths = TokenizerJson.read(finished.shardsTokenizerJson(vocabSize)).tokenByteLengths();

        OptionalLong resumedFrom = workDir.prepare(Fingerprint.of(spec()), resume, force);
        double peak = peakFlops.flopsPerSecond();
        LOG.info("{}: {} | {} | {} train tokens, {} val tokens | peak {} GFLOP/s (fp32 matmul) | work dir {}", name(),
                resumedFrom.isPresent() ? "resuming from step " + resumedFrom.getAsLong() : "fresh run", ParameterCount.of(model).describe(),
                trainTokens.size(), valTokens.size(), String.format("%.1f", peak / 1e9), workDir.dir());
        LrPilot.Result pilot = lrPilot(trainTokens, tokenByteLengths);
        TrainConfig run = pilot == null ? train : train.withLr(pilot.lr());
        TrainResult result;
        try {
            result = trainer.run(model, run, trainTokens, valTokens, tokenByteLengths, workDir.dir(),
                    resumedFrom.isPresent());
        } catch (TrainingDivergedException e) {
            // One candidate's divergence is a result, not a failure of the run: the others train and score.
            LOG.warn("{}: {}; its checkpoints stay in {}", name(), e.getMessage(), workDir.dir());
            return publishDiverged(context, e);
        }
        if ("signal".equals(result.stopReason())) {
            throw new IllegalStateException(name() + " was stopped at step " + result.steps() + " and checkpointed in " + workDir.dir()
                    + "; run 'headroom train' again to resume it");
        }
        LOG.info("{}: {} steps on {} | final val bpb {} | {} s", name(), result.steps(), result.device(),
                String.format("%.4f", result.finalValBpb()), String.format("%.1f", result.seconds()));
        return publish(context, result, run, pilot, resumedFrom.orElse(0), peak);
    }

    /**
     * The candidate's learning rate pilot (headroom.train.lr-pilot), or null without a grid. It runs once per candidate:
     * its result is kept under {@code .work/train/lr-pilot/}, named by a digest of everything it depends on, so the
     * candidate's other seeds and protocols (and a resumed run) read it back instead of running it again.
     */
    private LrPilot.Result lrPilot(TokenStream trainTokens, int[] tokenByteLengths) throws IOException {
        TrainConf.LrPilotConf conf = trainConf.lrPilot();
        if (conf.grid().isEmpty()) return null;
        TrainConfig template = trainConf.pilotRun(candidate, model);
        String key = String.join("\n", candidate.name(), model.toMap().toString(), template.toMap().toString(), conf.toString(),
                inputs.get(TokenizeStage.NAME));
        Path file = pilotDir.resolve(candidate.name() + "-" + HexFormat.of().formatHex(Sha256.digest(key.getBytes(StandardCharsets.UTF_8))).substring(0, 16)
                + ".json");
        if (Files.isRegularFile(file)) return PILOT_JSON.readValue(file.toFile(), LrPilot.Result.class);
        LOG.info("{}: learning rate pilot of {}: {} steps at each of {}, judged on the train split's last {} documents", name(), candidate.name(),
                template.maxSteps(), conf.grid(), conf.holdoutDocuments());
        LrPilot.Result result = LrPilot.choose(trainer, model, template, conf.grid(), conf.holdoutDocuments(), trainTokens, tokenByteLengths,
                pilotDir.resolve(modelName));
        Files.createDirectories(pilotDir);
        Path tmp = Files.createTempFile(pilotDir, "pilot", ".tmp");
        Files.writeString(tmp, PILOT_JSON.writeValueAsString(result));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return result;
    }

    /** {@code models/<candidate>/diverged.json} (and the log so far) instead of weights; score lists it as diverged. */
    private Map<String, Object> publishDiverged(StageContext context, TrainingDivergedException e) throws IOException {
        Path out = Files.createDirectories(context.staging(modelOutput()));
        Files.copy(workDir.dir().resolve(TrainLog.FILE), out.resolve(TrainLog.FILE), StandardCopyOption.REPLACE_EXISTING);
        TrainReport.writeDiverged(out, context.staging(reportOutput()), modelName, e, workDir.dir(), model, train,
                candidate.trainTokensPerByte());
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put(DIVERGED, true);
        counts.put("diverged_at_step", e.step());
        counts.put("checkpoints", workDir.dir().toString());
        return counts;
    }

    private Map<String, Object> publish(StageContext context, TrainResult result, TrainConfig run, LrPilot.Result pilot, long resumedFromStep,
                                        double peakFlopsPerSecond) throws IOException {
        Path out = Files.createDirectories(context.staging(modelOutput()));
        Path work = workDir.dir();
        for (String file : List.of(ModelFiles.CONFIG_FILE, ModelFiles.WEIGHTS_FILE, TrainLog.FILE)) {
            Files.copy(work.resolve(file), out.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.copy(workDir.latestCheckpointState(), out.resolve("train_state.json"), StandardCopyOption.REPLACE_EXISTING);
        TokenizerProvenance.write(out, context.finished().shardsTokenizerJson(candidate.vocabSize()));
        Map<String, Object> summary = TrainReport.write(out, context.staging(reportOutput()), modelName, result, model, run,
                resumedFromStep, peakFlopsPerSecond, trainConf.convergence().maxTailMoveBpb(), pilot, candidate.trainTokensPerByte());
        TrainRun trainRun = TrainRun.of(modelName, candidate, seed, trainConf.protocolLabel(protocol, flops), ContextLength.from(config).protocol(), result);
        trainRun.write(out);

        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("steps", result.steps());
        counts.put("tokens", result.tokens());
        counts.put("first_val_bpb", summary.get("firstValBpb"));
        counts.put("final_val_bpb", result.finalValBpb());
        counts.put(TrainReport.TAIL_MOVE_KEY, summary.get(TrainReport.TAIL_MOVE_KEY));
        counts.put(TrainReport.STILL_LEARNING_KEY, summary.get(TrainReport.STILL_LEARNING_KEY));
        counts.put("median_step_tokens_per_s", summary.get("medianStepTokensPerSecond"));
        counts.put("mfu", summary.get("mfu"));
        counts.put("device", result.device());
        counts.put("seed", seed);
        counts.put("protocol", trainRun.protocol());
        counts.put("lr", run.lr());
        counts.put("seq_len", trainRun.seqLen());
        counts.put("bytes_seen", trainRun.bytesSeen());
        counts.put("resumed_from_step", resumedFromStep);
        Map<?, ?> weights = (Map<?, ?>) summary.get("weights");
        counts.put("weight_rms", ((Map<?, ?>) weights.get("weightRms")).get("matrices"));
        counts.put("int8_bytes_per_param", weights.get("int8BytesPerParam"));
        return counts;
    }
}
