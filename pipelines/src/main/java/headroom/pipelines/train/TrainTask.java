package headroom.pipelines.train;

import headroom.pipelines.spark.StageJob;
import headroom.pipelines.spark.TaskParallelism;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import headroom.pipelines.run.StageRunner;
import headroom.pipelines.sweep.SweepRows.Candidate;
import headroom.model.train.Trainer;
import org.apache.spark.TaskContext;

import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * One (candidate, seed) training as a {@link StageJob} task: plain data (the conf as HOCON, the candidate as JSON) that an
 * executor turns back into its {@link TrainStage}, which {@link StageRunner#executeAndPublish} runs: it trains in the
 * work dir {@code .work/train/<model>/}, checkpoints there, and renames its model folder and page into place.
 * <p>
 * A retried attempt (a lost executor, a killed task) resumes from the work dir's latest checkpoint, since the
 * fingerprint is the same; only the first attempt starts afresh under --force. The task checks for Spark's kill
 * request before every step and dies at once (no checkpoint on the way out, as a lost executor would). On a GPU
 * executor the task trains on the GPU Spark assigned it.
 */
record TrainTask(String conf, String runDir, String candidateJson, long seed, String modelName, boolean study, String tokenizeFingerprint,
                 boolean force, boolean resume, String protocol, double flops) implements StageJob.StageTask {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** {@code modelName}, {@code study}, {@code protocol} and {@code flops} as the stage has them: a run's {@code <candidate>-s<seed>}, or a study run's name. */
    static TrainTask of(Config config, Path runDir, Candidate candidate, long seed, String modelName, boolean study, String tokenizeFingerprint,
                        boolean force, boolean resume, TrainConf.Protocol protocol, double flops) {
        try {
            return new TrainTask(config.root().render(ConfigRenderOptions.concise()), runDir.toString(), JSON.writeValueAsString(candidate),
                    seed, modelName, study, tokenizeFingerprint, force, resume, protocol.name(), flops);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write candidate " + candidate.name() + " as JSON", e);
        }
    }

    @Override
    public TrainStage stage(TaskContext task) throws Exception {
        Config config = ConfigFactory.parseString(conf);
        TorchThreads.configureBeforeEngineLoads(TrainConf.from(config).train().threads());
        Trainer trainer = new Trainer(step -> {
            task.killTaskIfInterrupted();
            return false;
        }, false, TaskParallelism.assignedGpu(task));
        return new TrainStage(config, Path.of(runDir), JSON.readValue(candidateJson, Candidate.class), seed, modelName, study,
                tokenizeFingerprint, force && task.attemptNumber() == 0, resume, trainer, TrainConf.Protocol.valueOf(protocol), flops);
    }
}
