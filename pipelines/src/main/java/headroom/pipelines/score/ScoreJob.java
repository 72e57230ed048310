package headroom.pipelines.score;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import headroom.core.io.FileTrees;
import headroom.pipelines.score.CandidateScorer.Scored;
import headroom.pipelines.spark.StageJob;
import headroom.pipelines.spark.TaskParallelism;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The score stage's (model, plan) pairs as one Spark job, one partition each ({@link ScoreTask}): per model, every fixed
 * plan, then every allocation target, the order in which the driver scores them. The texts travel once per executor as
 * a broadcast. The driver only collects: the rows come back in that order, whatever order the tasks finish in, so the
 * tables are the driver's to the byte.
 */
final class ScoreJob {

    private static final Logger LOG = LoggerFactory.getLogger(ScoreJob.class);

    private ScoreJob() {
    }

    /**
     * Scores every model x plan into {@code artifactsDir} (the stage's staging {@code artifacts/}); attempts work in
     * {@code attemptsDir}, removed when the job ends.
     */
    static List<Scored> run(SparkContext sc, Config config, ScoreConf conf, Path runDir, List<TrainedModel> models, ScoreTexts texts,
                            double headBytesPerParameter, Path artifactsDir, Path attemptsDir, TaskParallelism parallelism) {
        String rendered = config.root().render(ConfigRenderOptions.concise());
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(sc);
        Broadcast<ScoreTexts> shared = jsc.broadcast(texts);
        List<ScoreTask> tasks = new ArrayList<>();
        for (TrainedModel m : models) {
            String modelDir = m.dir().toAbsolutePath().toString();
            int plans = conf.precisionPlans().size(), targets = conf.allocateTargets().size();
            for (int i = 0; i < plans + targets; i++) {
                tasks.add(new ScoreTask(tasks.size(), rendered, runDir.toAbsolutePath().toString(), modelDir, i < plans ? i : -1,
                        i < plans ? -1 : i - plans, headBytesPerParameter, artifactsDir.toAbsolutePath().toString(),
                        attemptsDir.toAbsolutePath().toString(), parallelism.perExecutor(), shared));
            }
        }
        LOG.info("score: {} (model, plan) pair(s) as one Spark job, one task each, up to {} at once ({} per executor; {})", tasks.size(),
                parallelism.total(), parallelism.perExecutor(), parallelism.cluster().described());

        ScoreTask.Result[] results = new ScoreTask.Result[tasks.size()];
        ScoreProgress progress = new ScoreProgress(tasks.size());
        try {
            StageJob.runJob(sc, "headroom score: " + tasks.size() + " (model, plan) pair(s)", tasks, ScoreTask::run, "score task failed",
                    (partition, result) -> {
                        results[partition] = result;
                        for (Scored s : result.scored()) {
                            progress.done(s.row(), result.seconds(), " (attempt " + result.attempt() + ", executor " + result.executor() + ")");
                        }
                    }, ScoreTask.Result.class);
        } finally {
            shared.destroy();
            FileTrees.deleteTree(attemptsDir);
        }
        List<Scored> scored = new ArrayList<>();
        for (ScoreTask.Result r : results) scored.addAll(r.scored());
        return scored;
    }
}
