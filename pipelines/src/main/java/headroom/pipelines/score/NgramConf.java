package headroom.pipelines.score;

import headroom.pipelines.conf.ConfReader;
import headroom.scoring.baseline.NgramFloor;

/** The {@code headroom.score.ngram} section: the byte n-gram floor every model's margin is measured against. */
public record NgramConf(
        boolean enabled,            // measure the floor at all
        NgramFloor.Settings floor,  // max-order 8, holdout-fraction 0.05, max-train-bytes 8,000,000
        double clearMargin) {       // 0.1: a model whose val bpb is not this far below the floor has not learned enough

    static NgramConf from(ConfReader score) {
        ConfReader r = score.section("ngram");
        return new NgramConf(r.bool("enabled"),
                new NgramFloor.Settings(r.intIn("max-order", 1, 16), r.doubleIn("holdout-fraction", 0.001, 0.5),
                        r.longIn("max-train-bytes", 1000, 1L << 30)),
                r.doubleIn("clear-margin", 0, 8));
    }
}
