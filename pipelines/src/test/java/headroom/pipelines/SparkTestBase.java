package headroom.pipelines;

import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Assertions;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * One SparkSession for the whole suite (starting one costs 10-20 s): local[2], UI off,
 * 2 shuffle partitions, loopback. {@link #restart} swaps the master for the few tests that
 * compare masters.
 */
public abstract class SparkTestBase {

    private static SparkSession session;

    protected static synchronized SparkSession spark() {
        if (session == null || session.sparkContext().isStopped()) session = start("local[2]");
        return session;
    }

    protected static synchronized SparkSession restart(String master) {
        if (session != null) session.stop();
        session = start(master);
        return session;
    }

    private static SparkSession start(String master) {
        return SparkSession.builder()
                .master(master)
                .appName("headroom-tests")
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
    }

    /** Rows as sorted strings: a readable, order-free comparison. */
    protected static void assertRows(String message, List<String> expected, List<?> actual) {
        List<String> e = new ArrayList<>(expected);
        List<String> a = new ArrayList<>(actual.stream().map(String::valueOf).toList());
        Collections.sort(e);
        Collections.sort(a);
        Assertions.assertEquals(e, a, message);
    }

    /**
     * Kills task attempt {@code taskId} once {@code ready} holds (polled every {@code pollMillis}), as a lost executor
     * would, from a daemon thread; interrupt the thread to stop it waiting.
     */
    protected static Thread killTaskWhen(BooleanSupplier ready, LongSupplier taskId, long pollMillis, String reason) {
        SparkContext sc = spark().sparkContext();
        Thread killer = new Thread(() -> {
            try {
                while (!ready.getAsBoolean()) Thread.sleep(pollMillis);
                sc.killTaskAttempt(taskId.getAsLong(), true, reason);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "test-task-killer");
        killer.setDaemon(true);
        killer.start();
        return killer;
    }
}
