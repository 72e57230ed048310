package headroom.pipelines.report;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Maps data values to pixels along one axis, linear or log2, over a domain widened to "nice" ticks
 * (1, 2 or 5 x 10^k steps; powers of two on a log2 axis).
 */
final class Axis {

    private final boolean log2;
    private final double lo, hi;        // domain, in log2 units on a log2 axis
    private final double pixelLo, pixelHi;
    private final List<Double> ticks;   // in data units

    private Axis(boolean log2, double lo, double hi, double pixelLo, double pixelHi, List<Double> ticks) {
        this.log2 = log2;
        this.lo = lo;
        this.hi = hi;
        this.pixelLo = pixelLo;
        this.pixelHi = pixelHi;
        this.ticks = ticks;
    }

    /** A linear axis over [min, max] of the data, widened to nice ticks. */
    static Axis linear(double min, double max, double pixelLo, double pixelHi) {
        if (min == max) {
            double pad = min == 0 ? 1 : Math.abs(min) * 0.1;
            min -= pad;
            max += pad;
        }
        double step = niceStep((max - min) / 8); // 5 to 9 grid lines
        double lo = Math.floor(min / step) * step, hi = Math.ceil(max / step) * step;
        List<Double> ticks = new ArrayList<>();
        for (int i = 0; lo + i * step <= hi + step * 1e-9; i++) ticks.add(clean(lo + i * step));
        return new Axis(false, lo, hi, pixelLo, pixelHi, ticks);
    }

    /** A log2 axis over [min, max] (both > 0), widened to whole powers of two. */
    static Axis log2(double min, double max, double pixelLo, double pixelHi) {
        if (!(min > 0)) throw new IllegalArgumentException("a log2 axis needs values > 0, got " + min);
        double lo = Math.floor(Math.log(min) / Math.log(2)), hi = Math.ceil(Math.log(max) / Math.log(2));
        if (lo == hi) hi = lo + 1;
        int every = (int) Math.ceil((hi - lo) / 10); // at most ~10 labels
        List<Double> ticks = new ArrayList<>();
        for (double e = lo; e <= hi; e += every) ticks.add(Math.pow(2, e));
        return new Axis(true, lo, hi, pixelLo, pixelHi, ticks);
    }

    double pixel(double value) {
        double v = log2 ? Math.log(value) / Math.log(2) : value;
        return pixelLo + (v - lo) / (hi - lo) * (pixelHi - pixelLo);
    }

    List<Double> ticks() {
        return ticks;
    }

    /** Tick text: powers of two on a log2 axis stay whole numbers (1024, 65536) below a million. */
    String tickLabel(double value) {
        return log2 && value >= 1 && value < 1e6 ? Long.toString(Math.round(value)) : label(value);
    }

    /** 1, 2 or 5 x 10^k, the smallest not below raw. */
    static double niceStep(double raw) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[]{1, 2, 5}) {
            if (m * magnitude >= raw * (1 - 1e-9)) return m * magnitude;
        }
        return 10 * magnitude;
    }

    /** Compact tick text: 16M, 1.5k, 0.25, 1024 (powers of two stay whole below a million). */
    static String label(double value) {
        double abs = Math.abs(value);
        if (abs >= 1e9) return plain(value / 1e9) + "G";
        if (abs >= 1e6) return plain(value / 1e6) + "M";
        if (abs >= 1e4) return plain(value / 1e3) + "k";
        return plain(value);
    }

    private static String plain(double value) {
        return new BigDecimal(String.format(Locale.ROOT, "%.4g", value)).stripTrailingZeros().toPlainString();
    }

    /** Removes the float noise of lo + i x step (0.30000000000000004 -> 0.3). */
    private static double clean(double value) {
        return Double.parseDouble(String.format(Locale.ROOT, "%.12g", value));
    }
}
