package headroom.pipelines.score;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import headroom.artifact.quant.PrecisionPlan;
import headroom.pipelines.run.StageRunner;
import headroom.pipelines.spark.StageJob;
import headroom.pipelines.train.TorchThreads;
import headroom.pipelines.train.TrainConf;
import headroom.pipelines.spark.TaskParallelism;
import org.apache.spark.SparkContext;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A study's pending scores as one {@link StageJob}, one task per run ({@link Task}), as the train stage trains: each task
 * rebuilds its run's score stage on the executor, which {@link StageRunner#executeAndPublish} runs (staging, then renamed
 * into {@code study/scored/<run>/}; a retried attempt redoes it from an emptied staging and publishes the same bytes).
 * The val texts travel once per executor as a broadcast.
 */
final class StudyScoreJob {

    private StudyScoreJob() {
    }

    /** One run's score as plain data: the conf as HOCON, the plan's canonical spec, the run and its model folder. */
    record Task(String conf, String runDir, String plan, String runName, String modelDir, long capBytes, String trainFingerprint,
                Broadcast<ScoreTexts> val) implements StageJob.StageTask {

        @Override
        public StudyScorer.RunScore stage(TaskContext task) {
            Config config = ConfigFactory.parseString(conf);
            TorchThreads.configureBeforeEngineLoads(TrainConf.from(config).train().threads());
            StudyScorer scorer = new StudyScorer(config, Path.of(runDir), PrecisionPlan.parse(plan), val.value(), TaskParallelism.assignedGpu(task));
            return scorer.stage(runName, Path.of(modelDir), capBytes, trainFingerprint);
        }
    }

    static List<StageRunner.Outcome> run(SparkContext sc, StageRunner runner, List<StudyScorer.RunScore> stages, ScoreTexts val,
                                         TaskParallelism parallelism) {
        return StageJob.run(sc, runner, stages, parallelism, new StageJob.Words("study", "score(s)", "study score task failed",
                "; run 'headroom study' again to score them"), running -> new Scores(sc, runner, running.size(), val));
    }

    /** The scores that run: the val texts broadcast for their tasks, and a progress line with its row as each one lands. */
    private static final class Scores implements StageJob.Units<StudyScorer.RunScore> {
        private final StageRunner runner;
        private final Broadcast<ScoreTexts> shared;
        private final ScoreProgress progress;

        Scores(SparkContext sc, StageRunner runner, int count, ScoreTexts val) {
            this.runner = runner;
            this.shared = JavaSparkContext.fromSparkContext(sc).broadcast(val);
            this.progress = new ScoreProgress(count);
        }

        @Override
        public StageJob.StageTask task(StudyScorer.RunScore stage) {
            return stage.scorer().task(stage, runner.runDir(), shared);
        }

        @Override
        public void done(StudyScorer.RunScore stage, StageRunner.Outcome outcome) {
            Map<String, Object> counts = outcome.record().outputs();
            try {
                progress.done(StudyScorer.readRow(runner.runDir().resolve(stage.output())), outcome.record().seconds(), " (attempt "
                        + counts.get("task_attempt") + ", executor " + counts.get("executor") + ")");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the score of " + stage.spec().name(), e);
            }
        }

        @Override
        public void close() {
            shared.destroy();
        }
    }
}
