package headroom.scoring.predict;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/** Pairwise order accuracy, Spearman's rank correlation and the mean absolute error of predictions against measurements. Pure. */
public final class RankStats {

    private RankStats() {
    }

    /**
     * Spearman's rho: Pearson's correlation of the ranks, ties sharing their average rank. NaN when
     * fewer than two points or when either side is constant (no ranking to compare).
     */
    public static double spearman(double[] predicted, double[] measured) {
        sameLength(predicted, measured);
        if (predicted.length < 2) return Double.NaN;
        return pearson(ranks(predicted), ranks(measured));
    }

    /**
     * The share of the n(n-1)/2 pairs that {@code predicted} orders as {@code measured} does (lower is better on
     * both sides): a pair ordered alike counts 1, a pair either side ties counts one half, a pair reversed 0.
     * A predictor that ties everything scores 0.5, as does a coin. NaN under two points.
     */
    public static double pairOrderAccuracy(double[] predicted, double[] measured) {
        sameLength(predicted, measured);
        if (predicted.length < 2) return Double.NaN;
        double agree = 0;
        for (int i = 0; i < predicted.length; i++) {
            for (int j = i + 1; j < predicted.length; j++) {
                int p = Double.compare(predicted[i], predicted[j]), m = Double.compare(measured[i], measured[j]);
                agree += p == 0 || m == 0 ? 0.5 : p == m ? 1 : 0;
            }
        }
        return agree / pairs(predicted.length);
    }

    /** The number of pairs of n points. */
    public static int pairs(int n) {
        return n * (n - 1) / 2;
    }

    public static double meanAbsoluteError(double[] predicted, double[] measured) {
        sameLength(predicted, measured);
        if (predicted.length == 0) return Double.NaN;
        double sum = 0;
        for (int i = 0; i < predicted.length; i++) sum += Math.abs(predicted[i] - measured[i]);
        return sum / predicted.length;
    }

    /** 1-based ranks, ascending; tied values get the mean of the ranks they span. */
    static double[] ranks(double[] values) {
        Integer[] order = IntStream.range(0, values.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> values[i]));
        double[] ranks = new double[values.length];
        for (int start = 0; start < order.length; ) {
            int end = start;
            while (end + 1 < order.length && values[order[end + 1]] == values[order[start]]) end++;
            double rank = (start + end) / 2.0 + 1;
            for (int k = start; k <= end; k++) ranks[order[k]] = rank;
            start = end + 1;
        }
        return ranks;
    }

    static double pearson(double[] a, double[] b) {
        double ma = Arrays.stream(a).average().orElseThrow(), mb = Arrays.stream(b).average().orElseThrow();
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return saa == 0 || sbb == 0 ? Double.NaN : sab / Math.sqrt(saa * sbb);
    }

    private static void sameLength(double[] a, double[] b) {
        if (a.length != b.length) throw new IllegalArgumentException("predicted has " + a.length + " values, measured " + b.length);
    }
}
