package headroom.pipelines.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import headroom.pipelines.run.StageRunner;
import headroom.pipelines.sweep.SweepRows.Candidate;
import headroom.model.train.Trainer;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;

import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * One (candidate, seed) training as a Spark task: plain data (the conf as HOCON, the candidate as JSON) that an
 * executor turns back into its {@link TrainStage} and runs with {@link StageRunner#executeAndPublish}: it trains in
 * the work dir {@code .work/train/<model>/}, checkpoints there, and renames its model folder and page into place. It
 * writes no manifest: the driver records the result it returns.
 * <p>
 * A retried attempt (a lost executor, a killed task) resumes from the work dir's latest checkpoint, since the
 * fingerprint is the same; only the first attempt starts afresh under --force. The task checks for Spark's kill
 * request before every step and dies at once (no checkpoint on the way out, as a lost executor would). An executor
 * runs at most {@code perExecutor} trainings at once: a task beyond that waits, so torch's threads never outnumber the
 * cores it was given. On a GPU executor the task trains on the GPU Spark assigned it.
 */
record TrainTask(String conf, String runDir, String candidateJson, long seed, String modelName, boolean study, String tokenizeFingerprint,
                 boolean force, boolean resume, int perExecutor) implements Serializable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** {@code modelName} and {@code study} as the stage has them: a run's {@code <candidate>-s<seed>}, or a study run's name. */
    static TrainTask of(Config config, Path runDir, Candidate candidate, long seed, String modelName, boolean study, String tokenizeFingerprint,
                        boolean force, boolean resume, int perExecutor) {
        try {
            return new TrainTask(config.root().render(ConfigRenderOptions.concise()), runDir.toString(), JSON.writeValueAsString(candidate),
                    seed, modelName, study, tokenizeFingerprint, force, resume, perExecutor);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write candidate " + candidate.name() + " as JSON", e);
        }
    }

    /**
     * What a finished attempt hands the driver: when it started training (after waiting for a slot; the record's start,
     * so its seconds are the training's, not the queue's) and the stage's counts, plus which attempt and executor it was.
     */
    record Result(String stage, Instant startedAt, Map<String, Object> counts) implements Serializable {
    }

    Result run(TaskContext task) throws Exception {
        Config config = ConfigFactory.parseString(conf);
        TorchThreads.configureBeforeEngineLoads(TrainConf.from(config).train().threads());
        Trainer trainer = new Trainer(step -> {
            task.killTaskIfInterrupted();
            return false;
        }, false, TrainParallelism.assignedGpu(task));
        TrainStage stage = new TrainStage(config, Path.of(runDir), JSON.readValue(candidateJson, Candidate.class), seed, modelName, study,
                tokenizeFingerprint, force && task.attemptNumber() == 0, resume, trainer);
        Semaphore slots = TrainParallelism.slots(perExecutor);
        slots.acquire();
        try {
            Instant start = Instant.now();
            Map<String, Object> counts = new LinkedHashMap<>(StageRunner.executeAndPublish(Path.of(runDir), stage));
            counts.put("task_attempt", task.attemptNumber());
            counts.put("executor", SparkEnv.get().executorId());
            return new Result(stage.name(), start, counts);
        } finally {
            slots.release();
        }
    }
}
