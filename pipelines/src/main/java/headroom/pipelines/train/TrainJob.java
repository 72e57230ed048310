package headroom.pipelines.train;

import headroom.pipelines.spark.StageJob;
import headroom.pipelines.spark.TaskParallelism;
import headroom.pipelines.conf.ConfException;
import headroom.pipelines.run.RunLayout;
import headroom.pipelines.run.StageRunner;
import org.apache.spark.SparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * The train stage's work list as one {@link StageJob}, one task per (candidate, seed) ({@link TrainTask}). Tasks Spark
 * retries resume from their checkpoints; the first attempt's model folder, if any, is replaced atomically. A published
 * training's work dir goes as its result arrives.
 */
final class TrainJob {

    private static final Logger LOG = LoggerFactory.getLogger(TrainJob.class);
    static final String SPECULATION = "spark.speculation";

    private TrainJob() {
    }

    static List<StageRunner.Outcome> run(SparkContext sc, StageRunner runner, List<TrainStage> stages, TaskParallelism parallelism) {
        if (sc.getConf().getBoolean(SPECULATION, false)) {
            throw new ConfException(SPECULATION + " = true would start a second attempt of a slow training beside the first, in the same"
                    + " work dir and checkpoints; run the train stage in a session with " + SPECULATION + " = false");
        }
        StageJob.Words words = new StageJob.Words("train", "training(s)", "training task failed", " (their checkpoints stay in "
                + RunLayout.of(runner.runDir()).trainWork() + "; run 'headroom train' again to resume them)");
        List<StageRunner.Outcome> outcomes = StageJob.run(sc, runner, stages, parallelism, words, running -> new Trainings(running, parallelism.total(), runner));
        List<String> published = outcomes.stream().filter(o -> !o.skipped())
                .map(o -> o.record().stage() + " (attempt " + o.record().outputs().get("task_attempt") + ")").toList();
        if (!published.isEmpty()) LOG.info("train: the job's {} training(s) are published: {}", published.size(), published);
        return outcomes;
    }

    /** The trainings that run: their tasks, the driver's progress lines, and each one's work dir cleaned up once published. */
    private static final class Trainings implements StageJob.Units<TrainStage> {
        private final TrainProgress progress;
        private final StageRunner runner;

        Trainings(List<TrainStage> running, int atOnce, StageRunner runner) {
            this.progress = TrainProgress.start(running, atOnce);
            this.runner = runner;
        }

        @Override
        public StageJob.StageTask task(TrainStage stage) {
            return stage.task(runner.runDir());
        }

        @Override
        public void done(TrainStage stage, StageRunner.Outcome outcome) {
            stage.cleanUpAfter(outcome);
            progress.done(stage);
        }

        @Override
        public void close() {
            progress.close();
        }
    }
}
