package headroom.pipelines.spark;

import headroom.pipelines.run.StageRunner;
import headroom.core.io.FileTrees;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Headroom's Spark jobs as guests of whoever calls it (Zeppelin, a spark-submit application, an
 * Airflow task): every job is described ({@code headroom <stage>}) and tagged, but the caller's job
 * group is kept, so the caller's progress bar and cancel button keep working. Only when the caller
 * has no group does Headroom set one of its own (interrupting tasks on cancel). Whatever the caller
 * had (group, description, interrupt flag) is put back afterwards.
 * <p>
 * A stage stops promptly when it is cancelled:
 * <ul>
 *   <li>the caller cancels its job group: the running Spark job fails, and so does the stage. During
 *       driver-only work (BPE training, model training) there is no job to fail, so
 *       {@link #watchForCancel} keeps a one-task sentinel job in the group that notices the cancel and
 *       interrupts the stage's thread;</li>
 *   <li>the caller interrupts the thread: Spark's blocking calls throw, and the jobs already submitted
 *       (which Spark would let run on) are cancelled by tag.</li>
 * </ul>
 * Either way the stage ends FAILED (never SUCCEEDED), its tasks are waited for, and what they wrote
 * under {@code .staging/} is removed.
 */
public final class JobScope {

    static final String GROUP = "spark.jobGroup.id";
    static final String DESCRIPTION = "spark.job.description";
    static final String INTERRUPT_ON_CANCEL = "spark.job.interruptOnCancel";
    /** How long a failed stage waits for its cancelled tasks to stop before removing their staging files. */
    private static final long QUIET_WAIT_MILLIS = 60_000;
    private static final Logger LOG = LoggerFactory.getLogger(JobScope.class);
    private static final ThreadLocal<JobScope> CURRENT = new ThreadLocal<>();

    private final SparkContext sc;
    private final String tag;
    private final boolean callersGroup;
    private final Thread owner = Thread.currentThread();
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private volatile JavaFutureAction<Void> sentinel;   // the watcher's job while watchForCancel runs

    private JobScope(SparkContext sc, String tag, boolean callersGroup) {
        this.sc = sc;
        this.tag = tag;
        this.callersGroup = callersGroup;
    }

    /**
     * Runs {@code work} (one stage, or a chain of them) as described above. On failure the jobs it
     * started are cancelled, their tasks are waited for and {@code runDir/.staging} is removed.
     */
    public static <T> T run(SparkSession spark, Path runDir, String what, Callable<T> work) {
        SparkContext sc = spark.sparkContext();
        DjlCache.applyToDriver(sc.getConf());
        String callerGroup = sc.getLocalProperty(GROUP);
        String callerDescription = sc.getLocalProperty(DESCRIPTION);
        String callerInterrupt = sc.getLocalProperty(INTERRUPT_ON_CANCEL);
        String id = UUID.randomUUID().toString().substring(0, 8);
        JobScope scope = new JobScope(sc, "headroom-" + what + "-" + id, callerGroup != null);
        String description = "headroom " + what + " (" + runDir + ")";
        if (callerGroup == null) sc.setJobGroup("headroom-" + what + "-" + id, description, true);
        else sc.setJobDescription(description);
        sc.addJobTag(scope.tag);
        JobScope outer = CURRENT.get();
        CURRENT.set(scope);
        try {
            T result = work.call();
            if (scope.cancelled.get()) {
                Thread.interrupted(); // finished before the cancel reached it: its outputs are whole; drop our interrupt
                LOG.warn("headroom {}: finished before the cancel reached it; its outputs are complete", what);
            }
            return result;
        } catch (Exception e) {
            scope.stopOwnJobs(runDir);
            if (scope.cancelled.get()) {
                Thread.interrupted(); // the interrupt was ours, to wake the stage; the caller's thread goes on clean
                throw new StageCancelledException(what + " was cancelled (job group " + callerGroup + "); nothing it wrote was kept", e);
            }
            if (e instanceof RuntimeException re) throw re;
            throw new StageRunner.StageFailedException(what + " failed: " + e.getMessage(), e);
        } finally {
            CURRENT.set(outer);
            sc.removeJobTag(scope.tag);
            sc.setLocalProperty(GROUP, callerGroup);
            sc.setLocalProperty(DESCRIPTION, callerDescription);
            sc.setLocalProperty(INTERRUPT_ON_CANCEL, callerInterrupt);
        }
    }

    /**
     * Runs driver-only work so that cancelling the caller's job group still stops it: a sentinel
     * job of one task (it sleeps, holding one task slot) waits in the group; when the group is
     * cancelled the sentinel fails and the stage's thread is interrupted. Without a caller's group
     * (the CLI) nobody but the thread's owner can cancel, and the work runs as it is.
     */
    public static <T> T watchForCancel(Callable<T> work) throws Exception {
        JobScope scope = CURRENT.get();
        if (scope == null || !scope.callersGroup) return work.call();
        JavaFutureAction<Void> sentinel = JavaSparkContext.fromSparkContext(scope.sc)
                .parallelize(List.of(0), 1).foreachAsync(x -> waitUntilKilled());
        scope.sentinel = sentinel;
        AtomicBoolean done = new AtomicBoolean();
        Thread watcher = new Thread(() -> {
            try {
                sentinel.get();
            } catch (ExecutionException | CancellationException | InterruptedException e) {
                if (!done.get()) {
                    LOG.warn("headroom: the job group was cancelled; stopping the stage");
                    scope.cancelled.set(true);
                    scope.owner.interrupt();
                }
            }
        }, "headroom-cancel-watch");
        watcher.setDaemon(true);
        watcher.start();
        try {
            return work.call();
        } finally {
            done.set(true);
            scope.sentinel = null;
            sentinel.cancel(true);
        }
    }

    /** Spark jobs running in this session besides this thread's cancel watcher: others' work that competes for the cores. */
    public static int otherActiveJobs(SparkContext sc) {
        JobScope scope = CURRENT.get();
        JavaFutureAction<Void> watcher = scope == null ? null : scope.sentinel;
        List<Integer> own = watcher == null ? List.of() : watcher.jobIds();
        return (int) java.util.Arrays.stream(sc.statusTracker().getActiveJobIds()).filter(id -> !own.contains(id)).count();
    }

    /** True once the caller cancelled this thread's stage (or interrupted the thread): long loops stop at the next step. */
    public static boolean cancelRequested() {
        JobScope scope = CURRENT.get();
        return Thread.currentThread().isInterrupted() || (scope != null && scope.cancelled.get());
    }

    /** Cancels what this scope still has running, waits for those tasks to stop, then drops their staging files. */
    private void stopOwnJobs(Path runDir) {
        sc.cancelJobsWithTag(tag, "headroom: the stage failed or was cancelled");
        long deadline = System.currentTimeMillis() + QUIET_WAIT_MILLIS;
        while (activeTasks() > 0 && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        FileTrees.deleteTree(runDir.toAbsolutePath().normalize().resolve(StageRunner.STAGING));
    }

    private int activeTasks() {
        int active = 0;
        for (int job : sc.statusTracker().getJobIdsForTag(tag)) {
            var info = sc.statusTracker().getJobInfo(job);
            if (info.isEmpty()) continue;
            for (int stage : info.get().stageIds()) {
                scala.Option<SparkStageInfo> s = sc.statusTracker().getStageInfo(stage);
                if (s.isDefined()) active += s.get().numActiveTasks();
            }
        }
        return active;
    }

    private static void waitUntilKilled() throws InterruptedException {
        TaskContext task = TaskContext.get();
        while (!task.isInterrupted()) Thread.sleep(100);
    }

    /** The caller cancelled the stage; it ended FAILED and left nothing under .staging. */
    public static final class StageCancelledException extends RuntimeException {
        StageCancelledException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
