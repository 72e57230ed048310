package headroom.pipelines.nightly;

import com.typesafe.config.Config;
import headroom.pipelines.conf.ConfReader;

import java.nio.file.Path;

/** The {@code headroom.nightly} section (see reference.conf). */
public record NightlyConf(Path root, boolean trainAndScore, int keep, Thresholds thresholds) {

    public static final String SECTION = "headroom.nightly";

    /** How far a metric may move night to night before the night is flagged. */
    public record Thresholds(double tokensPerByte, double estimatedBytes, double seconds, double bpb) {
    }

    public static NightlyConf from(Config config) {
        ConfReader r = new ConfReader(config, SECTION);
        ConfReader t = r.section("thresholds");
        return new NightlyConf(Path.of(r.string("root")), r.bool("train-and-score"), r.intIn("keep", 1, 10_000),
                new Thresholds(t.doubleIn("tokens-per-byte", 0, 100), t.doubleIn("estimated-bytes", 0, 100),
                        t.doubleIn("seconds", 0, 1000), t.doubleIn("bpb", 0, 100)));
    }
}
