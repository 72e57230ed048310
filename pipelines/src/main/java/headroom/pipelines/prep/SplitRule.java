package headroom.pipelines.prep;

import headroom.pipelines.conf.ConfException;
import headroom.pipelines.conf.ConfReader;

import java.io.Serializable;

/**
 * Assigns a document to train, val or test from its content hash and a seed alone, so the split
 * is the same whatever the partitioning, the input order or the master.
 */
public record SplitRule(long seed, double valFraction, double testFraction) implements Serializable {

    public enum Split { TRAIN, VAL, TEST }

    public SplitRule {
        if (!(valFraction > 0 && valFraction < 1)) {
            throw ConfException.badValue("headroom.prep.split.val-fraction", valFraction, "must be above 0 and below 1");
        }
        if (!(testFraction >= 0 && valFraction + testFraction < 1)) {
            throw ConfException.badValue("headroom.prep.split.test-fraction", testFraction,
                    "must be at least 0 and leave room for train (val-fraction + test-fraction < 1)");
        }
    }

    static SplitRule from(ConfReader r) {
        return new SplitRule(r.longIn("seed", Long.MIN_VALUE, Long.MAX_VALUE),
                r.doubleIn("val-fraction", 0, 1), r.doubleIn("test-fraction", 0, 1));
    }

    /** {@code contentHash}: the document's SHA-256 (at least 8 bytes are used). */
    public Split assign(byte[] contentHash) {
        long h = 0;
        for (int i = 0; i < 8; i++) h = (h << 8) | (contentHash[i] & 0xff);
        double u = (mix64(h ^ mix64(seed)) >>> 11) * 0x1.0p-53; // uniform in [0, 1)
        if (u < valFraction) return Split.VAL;
        if (u < valFraction + testFraction) return Split.TEST;
        return Split.TRAIN;
    }

    // SplitMix64's finalizer: a bijection that spreads the seed into every bit.
    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
