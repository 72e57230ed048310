package headroom.pipelines.spark;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

import java.util.Map;

/**
 * Builds the SparkSession for CLI runs. The master comes from, highest first: {@code --master},
 * spark-submit (which sets {@code spark.master}), then {@code headroom.spark.master}.
 */
public final class SparkSessions {

    private SparkSessions() {
    }

    public static SparkSession create(Config config, String masterOverride) {
        SparkConf sparkConf = new SparkConf();
        String master = masterOverride != null ? masterOverride
                : sparkConf.contains("spark.master") ? sparkConf.get("spark.master")
                : config.getString("headroom.spark.master");
        SparkSession.Builder b = SparkSession.builder()
                .master(master)
                .appName(config.getString("headroom.spark.app-name"))
                .config("spark.ui.showConsoleProgress", "false")
                .config("spark.sql.parquet.compression.codec", "zstd");
        for (Map.Entry<String, ConfigValue> e : config.getConfig("headroom.spark.conf").entrySet()) {
            b.config(e.getKey().replace("\"", ""), String.valueOf(e.getValue().unwrapped()));
        }
        return b.getOrCreate();
    }
}
