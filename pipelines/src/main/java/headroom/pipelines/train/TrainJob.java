package headroom.pipelines.train;

import headroom.pipelines.conf.ConfException;
import headroom.pipelines.run.RunLayout;
import headroom.pipelines.run.StageRunner;
import org.apache.spark.SparkContext;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.collection.Iterator;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The train stage's work list as one Spark job, one partition per (candidate, seed) ({@link TrainTask}). The driver
 * records each training in the manifest as its task's result arrives (Spark's per-task result handler), so a job that
 * fails later keeps the trainings that finished; it is the only writer of {@code manifest.json}. Tasks Spark retries
 * resume from their checkpoints; the first attempt's model folder, if any, is replaced atomically.
 */
final class TrainJob {

    private static final Logger LOG = LoggerFactory.getLogger(TrainJob.class);
    static final String SPECULATION = "spark.speculation";
    private static final String JOB_DESCRIPTION = "spark.job.description";

    private TrainJob() {
    }

    static List<StageRunner.Outcome> run(SparkContext sc, StageRunner runner, List<TrainStage> stages, TrainParallelism parallelism) {
        if (sc.getConf().getBoolean(SPECULATION, false)) {
            throw new ConfException(SPECULATION + " = true would start a second attempt of a slow training beside the first, in the same"
                    + " work dir and checkpoints; run the train stage in a session with " + SPECULATION + " = false");
        }
        StageRunner.Outcome[] outcomes = new StageRunner.Outcome[stages.size()];
        List<Integer> toRun = new ArrayList<>();
        for (int i = 0; i < stages.size(); i++) {
            int index = i;
            runner.upToDate(stages.get(i)).ifPresentOrElse(o -> outcomes[index] = o, () -> toRun.add(index));
        }
        if (toRun.isEmpty()) return List.of(outcomes);

        List<TrainStage> running = toRun.stream().map(stages::get).toList();
        List<TrainTask> tasks = running.stream().map(s -> s.task(runner.runDir(), parallelism.perExecutor())).toList();
        Instant[] starts = new Instant[running.size()];
        for (int i = 0; i < running.size(); i++) starts[i] = runner.begin(running.get(i));
        LOG.info("train: {} training(s) as one Spark job, one task each, up to {} at once ({} per executor; {})", running.size(),
                parallelism.total(), parallelism.perExecutor(), parallelism.cluster().described());

        RDD<TrainTask> rdd = JavaSparkContext.fromSparkContext(sc).parallelize(tasks, tasks.size()).rdd();
        String previousDescription = sc.getLocalProperty(JOB_DESCRIPTION);
        sc.setJobDescription("headroom train: " + running.size() + " training(s)");
        try (TrainProgress progress = TrainProgress.start(running, parallelism.total())) {
            sc.runJob(rdd, new RunTask(), new AbstractFunction2<Object, TrainTask.Result, BoxedUnit>() {
                @Override
                public BoxedUnit apply(Object partition, TrainTask.Result result) {
                    int i = (Integer) partition;
                    TrainStage stage = running.get(i);
                    StageRunner.Outcome outcome = runner.succeeded(stage, result.startedAt(), Instant.now(), result.counts());
                    stage.cleanUpAfter(outcome);
                    outcomes[toRun.get(i)] = outcome;
                    progress.done(stage);
                    return BoxedUnit.UNIT;
                }
            }, ClassTag$.MODULE$.apply(TrainTask.Result.class));
        } catch (Exception e) {
            List<String> unfinished = new ArrayList<>();
            for (int i = 0; i < running.size(); i++) {
                if (outcomes[toRun.get(i)] != null) continue;
                runner.failed(running.get(i), starts[i], Instant.now(), e);
                unfinished.add(running.get(i).name());
            }
            throw new StageRunner.StageFailedException("train: " + unfinished.size() + " of " + running.size() + " training(s) did not finish "
                    + unfinished + " (their checkpoints stay in " + RunLayout.of(runner.runDir()).trainWork() + "; run 'headroom train'"
                    + " again to resume them): " + e.getMessage(), e);
        } finally {
            sc.setLocalProperty(JOB_DESCRIPTION, previousDescription);
        }
        LOG.info("train: the job's {} training(s) are published: {}", running.size(), Arrays.stream(outcomes)
                .filter(o -> !o.skipped()).map(o -> o.record().stage() + " (attempt " + o.record().outputs().get("task_attempt") + ")").toList());
        return List.of(outcomes);
    }

    /** What each task does: its partition's one training. */
    private static final class RunTask extends AbstractFunction2<TaskContext, Iterator<TrainTask>, TrainTask.Result> implements Serializable {
        @Override
        public TrainTask.Result apply(TaskContext context, Iterator<TrainTask> partition) {
            try {
                return partition.next().run(context);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new StageRunner.StageFailedException("training task failed: " + e.getMessage(), e);
            }
        }
    }
}
