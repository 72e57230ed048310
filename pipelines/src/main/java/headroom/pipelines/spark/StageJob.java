package headroom.pipelines.spark;

import headroom.pipelines.run.Stage;
import headroom.pipelines.run.StageRunner;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkEnv;
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
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * A list of torch units as one Spark job, one task per unit: how the train stage ({@code TrainStage}) and a study's scores
 * run on executors. In the driver, units that are up to date are skipped and the others recorded RUNNING; each task
 * rebuilds its unit's stage from plain data ({@link StageTask}), takes one of its executor's {@link TaskParallelism#slots}
 * and runs {@link StageRunner#executeAndPublish}, which writes no manifest. The driver records each unit SUCCEEDED as its
 * task's result arrives (Spark's per-task result handler), so a job that fails later keeps the units that finished, and
 * records FAILED the ones that did not: it is the only writer of {@code manifest.json}.
 * <p>
 * Lives beside {@link TaskParallelism}, whose slots and GPU assignment it uses, where any stage's job can reach both.
 */
public final class StageJob {

    private static final Logger LOG = LoggerFactory.getLogger(StageJob.class);
    private static final String JOB_DESCRIPTION = "spark.job.description";

    private StageJob() {
    }

    /** One unit as plain data (conf as HOCON, paths as strings, broadcasts) that an executor turns back into its stage. */
    public interface StageTask extends Serializable {

        /** This unit's stage, rebuilt on the executor for the attempt {@code task} (its attempt number, its GPU, its kill flag). */
        Stage stage(TaskContext task) throws Exception;
    }

    /** What one kind of job adds to the skeleton, opened for the units that run and closed when the job ends. */
    public interface Units<S extends Stage> extends AutoCloseable {

        /** The unit as a task. */
        StageTask task(S stage);

        /** In the driver, once the unit is recorded SUCCEEDED: progress, clean-up. */
        void done(S stage, StageRunner.Outcome outcome);

        @Override
        void close();
    }

    /**
     * How the job speaks of itself: {@code command} ("train"), its units ("training(s)"), what a failed task says
     * ("training task failed") and what to do about units that did not finish (appended to their list).
     */
    public record Words(String command, String units, String taskFailed, String retry) {
    }

    /** What a finished attempt hands the driver: when its work started (after waiting for a slot) and the stage's counts. */
    private record Result(Instant startedAt, Map<String, Object> counts) implements Serializable {
    }

    /**
     * Runs {@code stages} (those up to date are skipped) as one job; the outcomes come in the order given. {@code open} is
     * called only when some unit runs, with those units, before any is recorded RUNNING.
     */
    public static <S extends Stage> List<StageRunner.Outcome> run(SparkContext sc, StageRunner runner, List<S> stages, TaskParallelism parallelism,
                                                                  Words words, Function<List<S>, Units<S>> open) {
        StageRunner.Outcome[] outcomes = new StageRunner.Outcome[stages.size()];
        List<Integer> toRun = new ArrayList<>();
        for (int i = 0; i < stages.size(); i++) {
            int index = i;
            runner.upToDate(stages.get(i)).ifPresentOrElse(o -> outcomes[index] = o, () -> toRun.add(index));
        }
        if (toRun.isEmpty()) return List.of(outcomes);

        List<S> running = toRun.stream().map(stages::get).toList();
        try (Units<S> units = open.apply(running)) {
            String runDir = runner.runDir().toString();
            List<Unit> tasks = running.stream().map(s -> new Unit(units.task(s), runDir, parallelism.perExecutor())).toList();
            Instant[] starts = new Instant[running.size()];
            for (int i = 0; i < running.size(); i++) starts[i] = runner.begin(running.get(i));
            LOG.info("{}: {} {} as one Spark job, one task each, up to {} at once ({} per executor; {})", words.command(), running.size(),
                    words.units(), parallelism.total(), parallelism.perExecutor(), parallelism.cluster().described());
            try {
                runJob(sc, "headroom " + words.command() + ": " + running.size() + " " + words.units(), tasks, Unit::run, words.taskFailed(),
                        (i, result) -> {
                            S stage = running.get(i);
                            StageRunner.Outcome outcome = runner.succeeded(stage, result.startedAt(), Instant.now(), result.counts());
                            outcomes[toRun.get(i)] = outcome;
                            units.done(stage, outcome);
                        }, Result.class);
            } catch (Exception e) {
                List<String> unfinished = new ArrayList<>();
                for (int i = 0; i < running.size(); i++) {
                    if (outcomes[toRun.get(i)] != null) continue;
                    runner.failed(running.get(i), starts[i], Instant.now(), e);
                    unfinished.add(running.get(i).name());
                }
                throw new StageRunner.StageFailedException(words.command() + ": " + unfinished.size() + " of " + running.size() + " "
                        + words.units() + " did not finish " + unfinished + words.retry() + ": " + e.getMessage(), e);
            }
        }
        return List.of(outcomes);
    }

    /** The work of one task, given its element and the attempt's context; a Spark closure, so serializable. */
    public interface TaskBody<T, R> extends Serializable {
        R run(T task, TaskContext context) throws Exception;
    }

    /**
     * Runs one Spark job of one partition per element of {@code tasks}, described as {@code description} in the UI and to
     * listeners (the previous description comes back after), and hands each task's result with its index to
     * {@code onResult} in the driver as it arrives. A task's checked exception fails it as "{@code taskFailed}: message".
     */
    public static <T extends Serializable, R> void runJob(SparkContext sc, String description, List<T> tasks, TaskBody<T, R> body,
                                                          String taskFailed, BiConsumer<Integer, R> onResult, Class<R> resultClass) {
        RDD<T> rdd = JavaSparkContext.fromSparkContext(sc).parallelize(tasks, tasks.size()).rdd();
        String previousDescription = sc.getLocalProperty(JOB_DESCRIPTION);
        sc.setJobDescription(description);
        try {
            sc.runJob(rdd, new RunTask<>(body, taskFailed), new AbstractFunction2<Object, R, BoxedUnit>() {
                @Override
                public BoxedUnit apply(Object partition, R result) {
                    onResult.accept((Integer) partition, result);
                    return BoxedUnit.UNIT;
                }
            }, ClassTag$.MODULE$.apply(resultClass));
        } finally {
            sc.setLocalProperty(JOB_DESCRIPTION, previousDescription);
        }
    }

    /** A unit's task with what every task needs besides: the run directory and the executor's slot count. */
    private record Unit(StageTask task, String runDir, int perExecutor) implements Serializable {

        Result run(TaskContext context) throws Exception {
            Stage stage = task.stage(context);
            Semaphore slots = TaskParallelism.slots(perExecutor);
            slots.acquire();
            try {
                Instant start = Instant.now();
                Map<String, Object> counts = new LinkedHashMap<>(StageRunner.executeAndPublish(Path.of(runDir), stage));
                counts.put("task_attempt", context.attemptNumber());
                counts.put("executor", SparkEnv.get().executorId());
                return new Result(start, counts);
            } finally {
                slots.release();
            }
        }
    }

    /** What each task does: its partition's one element. */
    private static final class RunTask<T, R> extends AbstractFunction2<TaskContext, Iterator<T>, R> implements Serializable {
        private final TaskBody<T, R> body;
        private final String taskFailed;

        RunTask(TaskBody<T, R> body, String taskFailed) {
            this.body = body;
            this.taskFailed = taskFailed;
        }

        @Override
        public R apply(TaskContext context, Iterator<T> partition) {
            try {
                return body.run(partition.next(), context);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new StageRunner.StageFailedException(taskFailed + ": " + e.getMessage(), e);
            }
        }
    }
}
