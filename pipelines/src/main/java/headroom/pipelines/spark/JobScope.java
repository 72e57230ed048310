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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
    /** How long a finished stage waits for its cancel sentinel to see the release file and end on its own. */
    private static final long RELEASE_WAIT_MILLIS = 5_000;
    /** Under the run directory (which the driver and the executors both see): the sentinels' release files. */
    static final String WATCH_DIR = ".work/cancel-watch";
    private static final Logger LOG = LoggerFactory.getLogger(JobScope.class);
    private static final ThreadLocal<JobScope> CURRENT = new ThreadLocal<>();

    private final SparkContext sc;
    private final Path runDir;
    private final String tag;
    private final boolean callersGroup;
    private final Thread owner = Thread.currentThread();
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private volatile JavaFutureAction<Void> sentinel;   // the watcher's job while watchForCancel runs

    private JobScope(SparkContext sc, Path runDir, String tag, boolean callersGroup) {
        this.sc = sc;
        this.runDir = runDir.toAbsolutePath().normalize();
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
        JobScope scope = new JobScope(sc, runDir, "headroom-" + what + "-" + id, callerGroup != null);
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
                LOG.debug("headroom {}: cancelled through job group {}", what, callerGroup, e);
                throw new StageCancelledException(what);
            }
            if (callerGroup != null && cancelledJob(e)) {
                LOG.debug("headroom {}: its Spark job was cancelled through job group {}", what, callerGroup, e);
                throw new StageCancelledException(what);
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
     * cancelled the sentinel fails and the stage's thread is interrupted. When the work ends, the
     * driver writes a release file under the run directory and the sentinel returns normally: a
     * killed sentinel would end every successful stage with Spark's WARN "Lost task ... TaskKilled"
     * (issue 25). Without a caller's group (the CLI) nobody but the thread's owner can cancel, and
     * the work runs as it is.
     */
    public static <T> T watchForCancel(Callable<T> work) throws Exception {
        JobScope scope = CURRENT.get();
        if (scope == null || !scope.callersGroup) return work.call();
        Path release = scope.runDir.resolve(WATCH_DIR).resolve(scope.tag.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + UUID.randomUUID());
        String releasePath = release.toString();
        JavaFutureAction<Void> sentinel = JavaSparkContext.fromSparkContext(scope.sc)
                .parallelize(List.of(0), 1).foreachAsync(x -> waitUntilReleasedOrKilled(releasePath));
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
            release(sentinel, release);
        }
    }

    /**
     * Ends the sentinel: normally, through its release file, unless the stage is being stopped or the
     * file cannot be written or seen in time (then it is killed, as before).
     */
    private static void release(JavaFutureAction<Void> sentinel, Path release) {
        try {
            if (!sentinel.isDone() && !Thread.currentThread().isInterrupted()) {
                Files.createDirectories(release.getParent());
                Files.writeString(release, "the stage finished; its cancel sentinel may end\n");
                sentinel.get(RELEASE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | ExecutionException | CancellationException | TimeoutException e) {
            LOG.debug("headroom: the cancel sentinel did not end on its own ({}); cancelling it", e.toString());
        } finally {
            if (!sentinel.isDone()) sentinel.cancel(true);
            try {
                Files.deleteIfExists(release);
                Files.deleteIfExists(release.getParent());
            } catch (IOException e) {
                // another stage's release file is still there (a DirectoryNotEmptyException): it removes the folder
            }
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

    /** A job of a cancelled group or tag fails with Spark's SPARK_JOB_CANCELLED ("Job 12 cancelled part of cancelled job group ..."). */
    private static boolean cancelledJob(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof org.apache.spark.SparkThrowable st && "SPARK_JOB_CANCELLED".equals(st.getCondition())) return true;
        }
        return false;
    }

    private static void waitUntilReleasedOrKilled(String releasePath) throws InterruptedException {
        TaskContext task = TaskContext.get();
        Path release = Path.of(releasePath);
        while (!task.isInterrupted() && !Files.exists(release)) Thread.sleep(100);
    }

    /**
     * The caller cancelled the stage; it ended FAILED and left nothing under .staging. What a notebook
     * shows is this one line: no stack trace and no cause, which are Spark's cancellation, not a fault
     * (the log has them at DEBUG).
     */
    public static final class StageCancelledException extends RuntimeException {
        StageCancelledException(String what) {
            super(what + " cancelled; nothing written; run again to resume", null, false, false);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }
}
