package headroom.pipelines.spark;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Logs a progress line every few seconds while long work runs; close() stops it. */
public final class Progress implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("headroom.progress");
    private final ScheduledExecutorService timer;

    private Progress(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    public static Progress every(int seconds, Supplier<String> line) {
        ScheduledExecutorService t = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread th = new Thread(r, "headroom-progress");
            th.setDaemon(true);
            return th;
        });
        t.scheduleAtFixedRate(() -> {
            try {
                LOG.info(line.get());
            } catch (RuntimeException e) {
                LOG.debug("progress line failed", e);
            }
        }, seconds, seconds, TimeUnit.SECONDS);
        return new Progress(t);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** A duration for progress lines: 1m05s, or 2h03m from an hour on. */
    public static String duration(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60) : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }

    public static String mb(long bytes) {
        return String.format("%.1f MB", bytes / 1e6);
    }
}
