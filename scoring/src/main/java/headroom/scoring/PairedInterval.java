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

    /** The same differences' two-sided interval at confidence 1 - alpha (a family-wise adjusted level, say); unbounded below 2 seeds. */
    public PairedInterval atLevel(double alpha) {
        if (n < 2) return this;
        double half = tQuantile(1 - alpha / 2, n - 1) * std / Math.sqrt(n);
        return new PairedInterval(n, mean, std, mean - half, mean + half);
    }

    /**
     * Two-sided p-value of the decision "the whole interval lies above {@code holdsAbove} or below {@code failsBelow}":
     * the interval at level 1 - alpha clears one of them exactly when this is below alpha. 1 below 2 seeds.
     */
    public double pValue(double holdsAbove, double failsBelow) {
        if (n < 2) return 1;
        double se = std / Math.sqrt(n);
        if (se == 0) return mean > holdsAbove || mean < failsBelow ? 0 : 1;
        double above = 1 - tCdf((mean - holdsAbove) / se, n - 1);
        double below = tCdf((mean - failsBelow) / se, n - 1);
        return Math.min(1, 2 * Math.min(above, below));
    }

    /** Sample standard deviation of x[seed] - y[seed] were the two arms independent: sqrt(var x + var y) over the seeds both have. */
    public static double unpairedStd(Map<Long, Double> x, Map<Long, Double> y) {
        List<Double> a = new ArrayList<>(), b = new ArrayList<>();
        for (long seed : new TreeSet<>(x.keySet())) {
            if (y.containsKey(seed)) {
                a.add(x.get(seed));
                b.add(y.get(seed));
            }
        }
        if (a.size() < 2) return Double.NaN;
        double sa = of(a.stream().mapToDouble(Double::doubleValue).toArray()).std();
        double sb = of(b.stream().mapToDouble(Double::doubleValue).toArray()).std();
        return Math.sqrt(sa * sa + sb * sb);
    }

    /** Student's t distribution function: 1 - I_x(df/2, 1/2) / 2 with x = df / (df + t^2) for t >= 0, by symmetry below. */
    public static double tCdf(double t, int df) {
        if (Double.isNaN(t)) return Double.NaN;
        if (Double.isInfinite(t)) return t > 0 ? 1 : 0;
        double tail = 0.5 * regularizedBeta(df / (df + t * t), df / 2.0, 0.5);
        return t >= 0 ? 1 - tail : tail;
    }

    /** Student's t quantile at probability p in (0, 1): bisection on {@link #tCdf}, to 1e-10. */
    public static double tQuantile(double p, int df) {
        if (!(p > 0 && p < 1)) throw new IllegalArgumentException("probability must be in (0, 1), got " + p);
        if (df < 1) throw new IllegalArgumentException("degrees of freedom must be >= 1, got " + df);
        if (p < 0.5) return -tQuantile(1 - p, df);
        double lo = 0, hi = 1;
        while (tCdf(hi, df) < p) hi *= 2;
        for (int i = 0; i < 200 && hi - lo > 1e-10 * Math.max(1, hi); i++) {
            double mid = (lo + hi) / 2;
            if (tCdf(mid, df) < p) lo = mid;
            else hi = mid;
        }
        return (lo + hi) / 2;
    }

    /** I_x(a, b) by its continued fraction (modified Lentz), on the side of x where it converges fast. */
    private static double regularizedBeta(double x, double a, double b) {
        if (x <= 0) return 0;
        if (x >= 1) return 1;
        double front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
        if (x > (a + 1) / (a + b + 2)) return 1 - regularizedBeta(1 - x, b, a);
        double tiny = 1e-300, f = 1, c = 1, d = 1 - (a + b) * x / (a + 1);
        d = 1 / (Math.abs(d) < tiny ? tiny : d);
        f = d;
        for (int m = 1; m <= 500; m++) {
            for (int half = 0; half < 2; half++) {
                double num = half == 0 ? m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
                        : -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
                d = 1 + num * d;
                d = 1 / (Math.abs(d) < tiny ? tiny : d);
                c = 1 + num / c;
                if (Math.abs(c) < tiny) c = tiny;
                f *= c * d;
            }
            if (Math.abs(c * d - 1) < 1e-15) break;
        }
        return front * f / a;
    }

    /** ln Gamma(x) for x > 0 (Lanczos, g = 7, 9 terms): enough for half-integer degrees of freedom. */
    private static double logGamma(double x) {
        if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
        double[] c = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
                12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7};
        x -= 1;
        double s = c[0];
        for (int i = 1; i < 9; i++) s += c[i] / (x + i);
        double t = x + 7.5;
        return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(s);
    }

    /** Student's t quantile 0.975: the table to 30 degrees of freedom, then the Cornish-Fisher expansion around z. */
    public static double t975(int df) {
        if (df < 1) throw new IllegalArgumentException("degrees of freedom must be >= 1, got " + df);
        if (df <= T975.length) return T975[df - 1];
        double z = Z975;
        return z + (z * z * z + z) / (4.0 * df) + (5 * Math.pow(z, 5) + 16 * z * z * z + 3 * z) / (96.0 * df * df);
    }
}
