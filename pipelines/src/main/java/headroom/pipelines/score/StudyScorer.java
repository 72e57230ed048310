package headroom.pipelines.score;

import headroom.scoring.ScoreRows;
import ai.djl.Device;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import headroom.artifact.quant.PrecisionPlan;
import headroom.pipelines.run.PipelineStage;
import headroom.pipelines.run.RunLayout;
import headroom.pipelines.run.Stage;
import headroom.pipelines.run.StageContext;
import headroom.pipelines.run.StageRunner;
import headroom.pipelines.run.StageSpec;
import headroom.pipelines.score.CandidateScorer.EvalSet;
import headroom.scoring.ScoreRows.LeaderboardRow;
import headroom.pipelines.train.TrainConf;
import headroom.pipelines.spark.TaskParallelism;
import headroom.tokenizer.BpeModel;
import headroom.core.TensorClass;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Scores a study's runs (headroom study) exactly as the score stage scores a run's models, under one
 * precision plan and without evaluation-time refinement: artifact written, read back, evaluated on the
 * whole val split with the byte audit. Each run is its own manifest stage {@code study/score/<run>},
 * writing {@link RunLayout#studyScored} (the artifact and {@value #ROW_FILE}, its leaderboard row), so a
 * finished score is never redone. The val split is read and encoded once per vocabulary.
 */
public final class StudyScorer {

    public static final String ROW_FILE = "score.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Config config;
    private final ScoreConf conf;
    private final PrecisionPlan plan;
    private final ScoreTexts val;       // val only: a study run has no out-of-domain set and no allocation
    private final SweepOutputs sweep;
    private final OptionalInt assignedGpu;
    private final Map<Integer, EvalSet> texts = new HashMap<>();
    private Device device;

    /** On the driver: reads the val split (a Spark job) once for every run it will score; the constructor reads nothing. */
    public static StudyScorer readingVal(SparkSession spark, Config config, Path runDir, PrecisionPlan plan) {
        return new StudyScorer(config, runDir, plan, valTexts(spark, ScoreConf.from(config), runDir), OptionalInt.empty());
    }

    /** On an executor: the val texts from the driver's broadcast, the GPU Spark assigned the task (if any). */
    StudyScorer(Config config, Path runDir, PrecisionPlan plan, ScoreTexts val, OptionalInt assignedGpu) {
        this.config = config;
        this.conf = ScoreConf.from(config);
        this.plan = plan;
        this.val = val;
        this.sweep = new SweepOutputs(new RunLayout(runDir));
        this.assignedGpu = assignedGpu;
    }

    private static ScoreTexts valTexts(SparkSession spark, ScoreConf conf, Path runDir) {
        RunLayout run = new RunLayout(runDir);
        Dataset<Row> split = spark.read().parquet(run.corpus("val").toString()).orderBy("doc_id");
        if (conf.valMaxDocs() > 0) split = split.limit(conf.valMaxDocs());
        List<String> val = split.select("text").as(Encoders.STRING()).collectAsList();
        if (val.isEmpty()) throw new IllegalStateException("the val split in " + run.corpus() + " is empty: nothing to score on");
        return new ScoreTexts(val, List.of(), List.of());
    }

    /** A published study run to score: its name, model folder, cap and the fingerprint of the training that made it. */
    public record Pending(String runName, Path modelDir, long capBytes, String trainFingerprint) {
    }

    /**
     * The scores of {@code runs}, each its own unit {@code study/score/<run>} (one up to date is skipped): one after another
     * in the driver under {@code headroom.score.parallelism = 1}, else as one Spark job with a task per run
     * ({@link StudyScoreJob}). Its outcomes come in the order given.
     */
    public PipelineStage<?> scores(SparkSession spark, List<Pending> runs) {
        return new Scores(spark, List.copyOf(runs));
    }

    private final class Scores implements PipelineStage<RunScore> {
        private final SparkSession spark;
        private final List<Pending> runs;

        Scores(SparkSession spark, List<Pending> runs) {
            this.spark = spark;
            this.runs = runs;
        }

        @Override
        public String name() {
            return "study/score";
        }

        @Override
        public List<RunScore> plan(RunLayout run, boolean force) {
            if (!inDriver() && !runs.isEmpty()) parallelism(); // checked before any job; nothing to score needs no slot
            return runs.stream().map(r -> new RunScore(r.runName(), r.modelDir(), r.capBytes(), r.trainFingerprint())).toList();
        }

        @Override
        public List<StageRunner.Outcome> run(StageRunner runner, List<RunScore> units) {
            if (inDriver() || units.isEmpty()) return units.stream().map(runner::run).toList();
            return StudyScoreJob.run(spark.sparkContext(), runner, units, val, parallelism());
        }

        @Override
        public boolean inDriver() {
            return conf.parallelism() == 1;
        }

        private TaskParallelism parallelism() {
            return TaskParallelism.resolve(ScoreConf.PARALLELISM_KEY, conf.parallelism(), TrainConf.from(config).train().threads(),
                    TaskParallelism.Cluster.of(spark.sparkContext()));
        }
    }

    /** What an executor needs to rebuild a run's score stage (see {@link StudyScoreJob}). */
    StudyScoreJob.Task task(RunScore stage, Path runDir, Broadcast<ScoreTexts> shared) {
        return new StudyScoreJob.Task(config.root().render(ConfigRenderOptions.concise()), runDir.toString(), plan.name(), stage.runName,
                stage.modelDir.toAbsolutePath().toString(), stage.capBytes, stage.trainFingerprint, shared);
    }

    /** The stage that scores one run; on an executor, of the scorer the task rebuilt. */
    RunScore stage(String runName, Path modelDir, long capBytes, String trainFingerprint) {
        return new RunScore(runName, modelDir, capBytes, trainFingerprint);
    }

    /** The leaderboard row a scored study run left in its {@link RunLayout#studyScored} folder. */
    public static LeaderboardRow readRow(Path scoredDir) throws IOException {
        return JSON.readValue(scoredDir.resolve(ROW_FILE).toFile(), LeaderboardRow.class);
    }

    final class RunScore implements Stage {
        private final String runName;
        private final Path modelDir;
        private final long capBytes;
        private final String trainFingerprint;

        RunScore(String runName, Path modelDir, long capBytes, String trainFingerprint) {
            this.runName = runName;
            this.modelDir = modelDir;
            this.capBytes = capBytes;
            this.trainFingerprint = trainFingerprint;
        }

        /** The scorer this stage scores with. */
        StudyScorer scorer() {
            return StudyScorer.this;
        }

        /** {@link RunLayout#studyScored}, relative to the run directory: where its artifact and score.json are published. */
        String output() {
            return RunLayout.RELATIVE.studyScored(runName).toString();
        }

        @Override
        public StageSpec spec() {
            return new StageSpec("study/score/" + runName, headroom.pipelines.run.CodeFingerprint.of(StudyScorer.class), ScoreConf.snapshot(config) + "\nplan=" + plan.name() + "\ncap=" + capBytes,
                    Map.of("model", trainFingerprint), List.of(output()));
        }

        @Override
        public Map<String, Object> execute(StageContext context) throws Exception {
            Path out = Files.createDirectories(context.staged().studyScored(runName));
            TrainedModel model = TrainedModel.read(modelDir);
            int v = model.config().vocabSize();
            BpeModel tokenizer = sweep.tokenizer(v);
            EvalSet set = texts.computeIfAbsent(v, k -> val.encode(tokenizer));
            CandidateScorer scorer = new CandidateScorer(device(), conf.batchSize(), List.of(), capBytes, conf.fillBand());
            LeaderboardRow row = scorer.score(model, tokenizer, set, List.of(plan), out, sweep.bytesPerParameter(TensorClass.EMBEDDING_HEAD))
                    .get(0).row();
            Files.write(out.resolve(ROW_FILE), JSON.writeValueAsBytes(row));
            Map<String, Object> counts = new LinkedHashMap<>();
            counts.put("bpb_post", row.bpbPost());
            counts.put("artifact_bytes", row.artifactBytes());
            return counts;
        }
    }

    /** Loads the engine once: torch's thread count can only be set after that. */
    private Device device() {
        if (device == null) {
            device = headroom.model.Devices.resolve(conf.device(), assignedGpu);
            if (conf.threads() > 0) JniUtils.setNumThreads(conf.threads());
        }
        return device;
    }
}
