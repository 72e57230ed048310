package headroom.pipelines.spark;

import org.apache.spark.SparkConf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * Where DJL extracts its natives (about 430 MB for PyTorch) on the driver. Users set one key,
 * {@code spark.executorEnv.DJL_CACHE_DIR}; Spark gives it to executor processes only, and in
 * {@code local[*]} there are none (the tasks run in the driver), so Headroom also applies it to the
 * driver, as the {@code DJL_CACHE_DIR} system property, before its first use of DJL. The driver's
 * own {@code DJL_CACHE_DIR} (environment variable or {@code -D}) wins: DJL reads the environment first.
 */
public final class DjlCache {

    public static final String KEY = "DJL_CACHE_DIR";
    public static final String SPARK_KEY = "spark.executorEnv." + KEY;
    private static final Logger LOG = LoggerFactory.getLogger(DjlCache.class);

    private DjlCache() {
    }

    /** Sets the driver's DJL cache from {@code spark.executorEnv.DJL_CACHE_DIR} unless the driver has its own. */
    static void applyToDriver(SparkConf conf) {
        resolve(conf.getOption(SPARK_KEY), System.getenv(KEY), System.getProperty(KEY)).ifPresent(dir -> {
            System.setProperty(KEY, dir);
            LOG.info("DJL cache on the driver: {} (from {})", dir, SPARK_KEY);
        });
    }

    /** The directory to set as the driver's system property, if any: the Spark key, when neither env nor -D names one. */
    static Optional<String> resolve(scala.Option<String> sparkValue, String env, String property) {
        if (sparkValue.isEmpty() || sparkValue.get().isBlank()) return Optional.empty();
        String wanted = sparkValue.get();
        if (env != null) {
            if (!env.equals(wanted)) {
                LOG.warn("DJL cache: the environment variable {}={} wins over {}={} on the driver", KEY, env, SPARK_KEY, wanted);
            }
            return Optional.empty();
        }
        if (property != null) return Optional.empty();
        return Optional.of(wanted);
    }
}
