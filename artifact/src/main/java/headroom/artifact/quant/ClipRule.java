package headroom.artifact.quant;

import java.math.BigDecimal;
import java.util.Arrays;

/**
 * Where a row's quantization range stops. Values beyond the clip saturate at +-clip; a tighter clip
 * buys finer steps for the bulk of the row. The clip never exceeds the row's max |w|.
 */
public sealed interface ClipRule {

    /** The clip for one row (outliers already excluded); the row may be empty. */
    double clipFor(float[] row, int from, int to);

    /** The spec form: "none", "pct:99.9", "std:4". */
    String spec();

    /** No clip: the range is the row's max |w|. */
    record None() implements ClipRule {
        @Override
        public double clipFor(float[] row, int from, int to) {
            return maxAbs(row, from, to);
        }

        @Override
        public String spec() {
            return "none";
        }
    }

    /** The p-th percentile of the row's |w| (nearest rank), p in (0, 100]. */
    record Percentile(double p) implements ClipRule {
        public Percentile {
            if (!(p > 0 && p <= 100)) throw new IllegalArgumentException("percentile p must be in (0, 100], got " + p);
        }

        @Override
        public double clipFor(float[] row, int from, int to) {
            int n = to - from;
            if (n == 0) return 0;
            float[] abs = new float[n];
            for (int i = 0; i < n; i++) abs[i] = Math.abs(row[from + i]);
            Arrays.sort(abs);
            int rank = (int) Math.ceil(p / 100.0 * n); // nearest-rank percentile, 1-based
            return abs[Math.max(rank, 1) - 1];
        }

        @Override
        public String spec() {
            return "pct:" + plain(p);
        }
    }

    /** k times the row's standard deviation (about its mean), capped at max |w|; k > 0. */
    record StdMultiple(double k) implements ClipRule {
        public StdMultiple {
            if (!(k > 0 && Double.isFinite(k))) throw new IllegalArgumentException("std multiple k must be > 0, got " + k);
        }

        @Override
        public double clipFor(float[] row, int from, int to) {
            int n = to - from;
            if (n == 0) return 0;
            double sum = 0, sumSq = 0;
            for (int i = from; i < to; i++) {
                sum += row[i];
                sumSq += (double) row[i] * row[i];
            }
            double mean = sum / n;
            double std = Math.sqrt(Math.max(sumSq / n - mean * mean, 0));
            return Math.min(k * std, maxAbs(row, from, to));
        }

        @Override
        public String spec() {
            return "std:" + plain(k);
        }
    }

    /** Parses "none", "pct:P" or "std:K"; the message lists the allowed forms. */
    static ClipRule parse(String spec) {
        String allowed = "allowed: none, pct:P with P in (0, 100], std:K with K > 0";
        if (spec.equals("none")) return new None();
        int colon = spec.indexOf(':');
        if (colon < 0) throw new IllegalArgumentException("bad clip rule '" + spec + "' (" + allowed + ")");
        String kind = spec.substring(0, colon);
        double value;
        try {
            value = Double.parseDouble(spec.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad clip rule '" + spec + "': not a number (" + allowed + ")");
        }
        try {
            return switch (kind) {
                case "pct" -> new Percentile(value);
                case "std" -> new StdMultiple(value);
                default -> throw new IllegalArgumentException("unknown kind '" + kind + "'");
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad clip rule '" + spec + "': " + e.getMessage() + " (" + allowed + ")");
        }
    }

    private static double maxAbs(float[] row, int from, int to) {
        double max = 0;
        for (int i = from; i < to; i++) max = Math.max(max, Math.abs(row[i]));
        return max;
    }

    /** Shortest plain decimal that parses back to the same double ("4", "99.9", "0.0001"). */
    static String plain(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
