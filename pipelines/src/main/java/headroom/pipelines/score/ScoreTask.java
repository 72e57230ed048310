package headroom.pipelines.score;

import headroom.pipelines.run.RunLayout;
import ai.djl.Device;
import ai.djl.pytorch.jni.JniUtils;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import headroom.artifact.quant.PrecisionPlan;
import headroom.core.io.AtomicFiles;
import headroom.core.io.FileTrees;
import headroom.model.Devices;
import headroom.pipelines.score.CandidateScorer.EvalSet;
import headroom.pipelines.score.CandidateScorer.Scored;
import headroom.pipelines.train.TorchThreads;
import headroom.pipelines.train.TrainConf;
import headroom.pipelines.spark.TaskParallelism;
import headroom.scoring.AllocationTarget;
import headroom.tokenizer.BpeModel;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.broadcast.Broadcast;

import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * One (model, plan) of the score stage as a Spark task (score.parallelism != 1): plain data that an executor turns
 * back into a {@link CandidateScorer} call for one fixed plan ({@code planIndex} into score.precision-plans) or one
 * allocation target ({@code targetIndex} into score.allocate.targets). The model comes from {@code models/<model>/}, the
 * tokenizer from the sweep (paths every executor sees), the texts from a broadcast.
 * <p>
 * The task scores in its own attempt folder under the stage's staging, then renames its artifact into the staging
 * {@code artifacts/}: an attempt that dies leaves nothing there, and a retried one rewrites the same bytes under the same
 * name. It checks for Spark's kill request before publishing. It returns its rows; the driver writes the tables.
 */
record ScoreTask(int unit, String conf, String runDir, String modelDir, int planIndex, int targetIndex, double headBytesPerParameter,
                 String artifactsDir, String attemptsDir, int perExecutor, Broadcast<ScoreTexts> texts) implements Serializable {

    /** Per executor JVM: each vocabulary's encoded texts of the latest broadcast, shared by the tasks that score it. */
    private static final Map<Encoded, EvalSet> ENCODED = new ConcurrentHashMap<>();

    private record Encoded(long broadcast, int vocabSize) {
    }

    /** What a finished attempt hands the driver: its unit, its rows, how long it scored, which attempt and executor it was. */
    record Result(int unit, List<Scored> scored, double seconds, int attempt, String executor) implements Serializable {
    }

    Result run(TaskContext task) throws Exception {
        Config config = ConfigFactory.parseString(conf);
        ScoreConf score = ScoreConf.from(config);
        TorchThreads.configureBeforeEngineLoads(TrainConf.from(config).train().threads());
        Device device = Devices.resolve(score.device(), TaskParallelism.assignedGpu(task)); // loads the engine
        if (score.threads() > 0) JniUtils.setNumThreads(score.threads());
        Semaphore slots = TaskParallelism.slots(perExecutor);
        slots.acquire();
        Path attempt = Path.of(attemptsDir).resolve(unit + "-a" + task.attemptNumber());
        try {
            long t0 = System.nanoTime();
            FileTrees.deleteTree(attempt);
            Files.createDirectories(attempt);
            TrainedModel model = TrainedModel.read(Path.of(modelDir));
            BpeModel tokenizer = new SweepOutputs(new RunLayout(Path.of(runDir))).tokenizer(model.config().vocabSize());
            List<PrecisionPlan> plans = planIndex < 0 ? List.of() : List.of(score.precisionPlans().get(planIndex));
            List<AllocationTarget> targets = targetIndex < 0 ? List.of() : List.of(score.allocateTargets().get(targetIndex));
            CandidateScorer scorer = new CandidateScorer(device, score.batchSize(), score.evalLoops(), score.artifactCapBytes(), score.fillBand());
            List<Scored> scored = scorer.score(model, tokenizer, encoded(tokenizer), plans, texts.value().allocate(score, targets, tokenizer),
                    attempt, headBytesPerParameter);
            task.killTaskIfInterrupted(); // a lost attempt publishes nothing
            for (Scored s : scored) {
                AtomicFiles.publish(attempt.resolve(s.row().artifact()), Path.of(artifactsDir).resolve(s.row().artifact()));
            }
            return new Result(unit, scored, (System.nanoTime() - t0) / 1e9, task.attemptNumber(), SparkEnv.get().executorId());
        } finally {
            FileTrees.deleteTree(attempt);
            slots.release();
        }
    }

    /** val and the out-of-domain set under this tokenizer, encoded once per executor and broadcast; older broadcasts' sets go. */
    private EvalSet encoded(BpeModel tokenizer) {
        long id = texts.id();
        ENCODED.keySet().removeIf(k -> k.broadcast() != id);
        return ENCODED.computeIfAbsent(new Encoded(id, tokenizer.vocabSize()), k -> texts.value().encode(tokenizer));
    }
}
