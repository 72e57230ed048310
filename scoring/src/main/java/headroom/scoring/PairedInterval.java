package headroom.scoring;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Mean and two-sided 95% Student-t interval of differences paired by seed (DESIGN.md, "Experiments a
 * reviewer accepts"). Pure. With one seed the interval is unbounded: one run says nothing of the noise.
 */
public record PairedInterval(int n, double mean, double std, double lower, double upper) {

    /** t_{0.975, df} for df = 1..30 (two-sided 95%). */
    private static final double[] T975 = {12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281,
            2.2010, 2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860,
            2.0796, 2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423};
    private static final double Z975 = 1.959964;

    /** x[seed] - y[seed] over the seeds both have; n = 0 when they share none. */
    public static PairedInterval paired(Map<Long, Double> x, Map<Long, Double> y) {
        List<Double> d = new ArrayList<>();
        for (long seed : new TreeSet<>(x.keySet())) {
            Double b = y.get(seed);
            if (b != null) d.add(x.get(seed) - b);
        }
        return of(d.stream().mapToDouble(Double::doubleValue).toArray());
    }

    public static PairedInterval of(double[] d) {
        int n = d.length;
        if (n == 0) return new PairedInterval(0, Double.NaN, Double.NaN, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
        double mean = 0;
        for (double v : d) mean += v;
        mean /= n;
        if (n == 1) return new PairedInterval(1, mean, Double.NaN, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
        double ss = 0;
        for (double v : d) ss += (v - mean) * (v - mean);
        double std = Math.sqrt(ss / (n - 1));
        double half = t975(n - 1) * std / Math.sqrt(n);
        return new PairedInterval(n, mean, std, mean - half, mean + half);
    }

    /** Student's t quantile 0.975: the table to 30 degrees of freedom, then the Cornish-Fisher expansion around z. */
    public static double t975(int df) {
        if (df < 1) throw new IllegalArgumentException("degrees of freedom must be >= 1, got " + df);
        if (df <= T975.length) return T975[df - 1];
        double z = Z975;
        return z + (z * z * z + z) / (4.0 * df) + (5 * Math.pow(z, 5) + 16 * z * z * z + 3 * z) / (96.0 * df * df);
    }
}
