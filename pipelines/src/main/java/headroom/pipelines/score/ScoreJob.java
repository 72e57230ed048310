package headroom.pipelines.score;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import headroom.core.io.FileTrees;
import headroom.pipelines.run.StageRunner;
import headroom.pipelines.score.CandidateScorer.Scored;
import headroom.pipelines.train.TrainParallelism;
import org.apache.spark.SparkContext;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.collection.Iterator;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

import java.io.Serializable;
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
    private static final String JOB_DESCRIPTION = "spark.job.description";

    private ScoreJob() {
    }

    /**
     * Scores every model x plan into {@code artifactsDir} (the stage's staging {@code artifacts/}); attempts work in
     * {@code attemptsDir}, removed when the job ends.
     */
    static List<Scored> run(SparkContext sc, Config config, ScoreConf conf, Path runDir, List<TrainedModel> models, ScoreTexts texts,
                            double headBytesPerParameter, Path artifactsDir, Path attemptsDir, TrainParallelism parallelism) {
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
        RDD<ScoreTask> rdd = jsc.parallelize(tasks, tasks.size()).rdd();
        String previousDescription = sc.getLocalProperty(JOB_DESCRIPTION);
        sc.setJobDescription("headroom score: " + tasks.size() + " (model, plan) pair(s)");
        try {
            sc.runJob(rdd, new RunTask(), new AbstractFunction2<Object, ScoreTask.Result, BoxedUnit>() {
                @Override
                public BoxedUnit apply(Object partition, ScoreTask.Result result) {
                    results[(Integer) partition] = result;
                    for (Scored s : result.scored()) {
                        progress.done(s.row(), result.seconds(), " (attempt " + result.attempt() + ", executor " + result.executor() + ")");
                    }
                    return BoxedUnit.UNIT;
                }
            }, ClassTag$.MODULE$.apply(ScoreTask.Result.class));
        } finally {
            sc.setLocalProperty(JOB_DESCRIPTION, previousDescription);
            shared.destroy();
            FileTrees.deleteTree(attemptsDir);
        }
        List<Scored> scored = new ArrayList<>();
        for (ScoreTask.Result r : results) scored.addAll(r.scored());
        return scored;
    }

    /** What each task does: its partition's one (model, plan). */
    private static final class RunTask extends AbstractFunction2<TaskContext, Iterator<ScoreTask>, ScoreTask.Result> implements Serializable {
        @Override
        public ScoreTask.Result apply(TaskContext context, Iterator<ScoreTask> partition) {
            try {
                return partition.next().run(context);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new StageRunner.StageFailedException("score task failed: " + e.getMessage(), e);
            }
        }
    }
}
