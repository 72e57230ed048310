package headroom.pipelines.score;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import headroom.artifact.quant.PrecisionPlan;
import headroom.pipelines.run.StageRunner;
import headroom.pipelines.train.TorchThreads;
import headroom.pipelines.train.TrainConf;
import headroom.pipelines.train.TrainParallelism;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkEnv;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * A study's pending scores as one Spark job, one partition per run ({@link Task}), as {@code TrainJob} trains: each task
 * rebuilds its run's score stage on the executor and runs {@link StageRunner#executeAndPublish} (staging, then renamed
 * into {@code study/scored/<run>/}; a retried attempt redoes it from an emptied staging and publishes the same bytes).
 * Only the driver writes {@code manifest.json}: RUNNING before the job, SUCCEEDED as each task's result arrives, FAILED
 * for the unfinished ones when the job fails. The val texts travel once per executor as a broadcast.
 */
final class StudyScoreJob {

    private static final Logger LOG = LoggerFactory.getLogger(StudyScoreJob.class);
    private static final String JOB_DESCRIPTION = "spark.job.description";

    private StudyScoreJob() {
    }

    /** One run's score as plain data: the conf as HOCON, the plan's canonical spec, the run and its model folder. */
    record Task(String conf, String runDir, String plan, String runName, String modelDir, long capBytes, String trainFingerprint, int perExecutor,
                Broadcast<ScoreTexts> val) implements Serializable {

        Result run(TaskContext task) throws Exception {
            Config config = ConfigFactory.parseString(conf);
            TorchThreads.configureBeforeEngineLoads(TrainConf.from(config).train().threads());
            StudyScorer scorer = new StudyScorer(config, Path.of(runDir), PrecisionPlan.parse(plan), val.value(), TrainParallelism.assignedGpu(task));
            StudyScorer.RunScore stage = scorer.stage(runName, Path.of(modelDir), capBytes, trainFingerprint);
            Semaphore slots = TrainParallelism.slots(perExecutor);
            slots.acquire();
            try {
                Instant start = Instant.now();
                Map<String, Object> counts = new LinkedHashMap<>(StageRunner.executeAndPublish(Path.of(runDir), stage));
                counts.put("task_attempt", task.attemptNumber());
                counts.put("executor", SparkEnv.get().executorId());
                return new Result(start, counts);
            } finally {
                slots.release();
            }
        }
    }

    /** What a finished attempt hands the driver: when it started scoring (after waiting for a slot) and the stage's counts. */
    record Result(Instant startedAt, Map<String, Object> counts) implements Serializable {
    }

    static List<StageRunner.Outcome> run(SparkContext sc, StageRunner runner, List<StudyScorer.RunScore> stages, ScoreTexts val,
                                         TrainParallelism parallelism) {
        StageRunner.Outcome[] outcomes = new StageRunner.Outcome[stages.size()];
        List<Integer> toRun = new ArrayList<>();
        for (int i = 0; i < stages.size(); i++) {
            int index = i;
            runner.upToDate(stages.get(i)).ifPresentOrElse(o -> outcomes[index] = o, () -> toRun.add(index));
        }
        if (toRun.isEmpty()) return List.of(outcomes);

        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(sc);
        Broadcast<ScoreTexts> shared = jsc.broadcast(val);
        List<StudyScorer.RunScore> running = toRun.stream().map(stages::get).toList();
        List<Task> tasks = running.stream().map(s -> s.scorer().task(s, runner.runDir(), shared, parallelism.perExecutor())).toList();
        Instant[] starts = new Instant[running.size()];
        for (int i = 0; i < running.size(); i++) starts[i] = runner.begin(running.get(i));
        LOG.info("study: {} score(s) as one Spark job, one task each, up to {} at once ({} per executor; {})", running.size(),
                parallelism.total(), parallelism.perExecutor(), parallelism.cluster().described());

        ScoreProgress progress = new ScoreProgress(running.size());
        RDD<Task> rdd = jsc.parallelize(tasks, tasks.size()).rdd();
        String previousDescription = sc.getLocalProperty(JOB_DESCRIPTION);
        sc.setJobDescription("headroom study: " + running.size() + " score(s)");
        try {
            sc.runJob(rdd, new RunTask(), new AbstractFunction2<Object, Result, BoxedUnit>() {
                @Override
                public BoxedUnit apply(Object partition, Result result) {
                    int i = (Integer) partition;
                    StudyScorer.RunScore stage = running.get(i);
                    Instant end = Instant.now();
                    outcomes[toRun.get(i)] = runner.succeeded(stage, result.startedAt(), end, result.counts());
                    try {
                        progress.done(StudyScorer.readRow(runner.runDir().resolve(stage.output())), (end.toEpochMilli()
                                - result.startedAt().toEpochMilli()) / 1000.0, " (attempt " + result.counts().get("task_attempt") + ", executor "
                                + result.counts().get("executor") + ")");
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException("cannot read the score of " + stage.spec().name(), e);
                    }
                    return BoxedUnit.UNIT;
                }
            }, ClassTag$.MODULE$.apply(Result.class));
        } catch (Exception e) {
            List<String> unfinished = new ArrayList<>();
            for (int i = 0; i < running.size(); i++) {
                if (outcomes[toRun.get(i)] != null) continue;
                runner.failed(running.get(i), starts[i], Instant.now(), e);
                unfinished.add(running.get(i).spec().name());
            }
            throw new StageRunner.StageFailedException("study: " + unfinished.size() + " of " + running.size() + " score(s) did not finish "
                    + unfinished + "; run 'headroom study' again to score them: " + e.getMessage(), e);
        } finally {
            sc.setLocalProperty(JOB_DESCRIPTION, previousDescription);
            shared.destroy();
        }
        return List.of(outcomes);
    }

    /** What each task does: its partition's one score. */
    private static final class RunTask extends AbstractFunction2<TaskContext, Iterator<Task>, Result> implements Serializable {
        @Override
        public Result apply(TaskContext context, Iterator<Task> partition) {
            try {
                return partition.next().run(context);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new StageRunner.StageFailedException("study score task failed: " + e.getMessage(), e);
            }
        }
    }
}
