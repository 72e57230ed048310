package headroom.pipelines.score;

import headroom.scoring.EvalTexts;
import headroom.scoring.ScoreRows;
import ai.djl.Device;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.typesafe.config.Config;
import headroom.artifact.quant.PrecisionPlan;
import headroom.pipelines.prep.PrepStage;
import headroom.pipelines.run.Stage;
import headroom.pipelines.run.StageContext;
import headroom.pipelines.run.StageRunner;
import headroom.pipelines.run.StageSpec;
import headroom.pipelines.score.CandidateScorer.EvalSet;
import headroom.scoring.ScoreRows.LeaderboardRow;
import headroom.pipelines.sweep.SweepStage;
import headroom.tokenizer.BpeModel;
import headroom.core.TensorClass;
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

/**
 * Scores a study's runs (headroom study) exactly as the score stage scores a run's models, under one
 * precision plan and without evaluation-time refinement: artifact written, read back, evaluated on the
 * whole val split with the byte audit. Each run is its own manifest stage {@code study/score/<run>},
 * writing {@code study/scored/<run>/} (the artifact and {@value #ROW_FILE}, its leaderboard row), so a
 * finished score is never redone. The val split is read and encoded once per vocabulary.
 */
public final class StudyScorer {

    public static final String SCORED = "study/scored";
    public static final String ROW_FILE = "score.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Config config;
    private final ScoreConf conf;
    private final PrecisionPlan plan;
    private final List<String> val;
    private final SweepOutputs sweep;
    private final Map<Integer, EvalSet> texts = new HashMap<>();
    private Device device;

    public StudyScorer(SparkSession spark, Config config, Path runDir, PrecisionPlan plan) {
        this.config = config;
        this.conf = ScoreConf.from(config);
        this.plan = plan;
        Dataset<Row> split = spark.read().parquet(runDir.resolve(PrepStage.OUTPUT).resolve("val").toString()).orderBy("doc_id");
        if (conf.valMaxDocs() > 0) split = split.limit(conf.valMaxDocs());
        this.val = split.select("text").as(Encoders.STRING()).collectAsList();
        if (val.isEmpty()) throw new IllegalStateException("the val split in " + runDir.resolve(PrepStage.OUTPUT) + " is empty: nothing to score on");
        this.sweep = new SweepOutputs(runDir.resolve(SweepStage.OUTPUT));
    }

    /** Scores the model in {@code modelDir} (a published study run) for a cap, unless that score is up to date. */
    public StageRunner.Outcome score(StageRunner runner, String runName, Path modelDir, long capBytes, String trainFingerprint) {
        return runner.run(new RunScore(runName, modelDir, capBytes, trainFingerprint));
    }

    /** The leaderboard row a scored study run left in {@code study/scored/<run>/}. */
    public static LeaderboardRow readRow(Path scoredDir) throws IOException {
        return JSON.readValue(scoredDir.resolve(ROW_FILE).toFile(), LeaderboardRow.class);
    }

    private final class RunScore implements Stage {
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

        @Override
        public StageSpec spec() {
            return new StageSpec("study/score/" + runName, headroom.pipelines.run.CodeFingerprint.of(StudyScorer.class), ScoreConf.snapshot(config) + "\nplan=" + plan.name() + "\ncap=" + capBytes,
                    Map.of("model", trainFingerprint), List.of(SCORED + "/" + runName));
        }

        @Override
        public Map<String, Object> execute(StageContext context) throws Exception {
            Path out = Files.createDirectories(context.staging(SCORED + "/" + runName));
            TrainedModel model = TrainedModel.read(modelDir);
            int v = model.config().vocabSize();
            BpeModel tokenizer = sweep.tokenizer(v);
            EvalSet set = texts.computeIfAbsent(v, k -> new EvalSet(EvalTexts.encode(val, tokenizer), null, tokenizer.tokenByteLengths()));
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
            device = headroom.model.Devices.resolve(conf.device());
            if (conf.threads() > 0) JniUtils.setNumThreads(conf.threads());
        }
        return device;
    }
}
