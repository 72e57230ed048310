package headroom.scoring.predict;

/**
 * Tao et al.'s own answer to "which V for this non-embedding size", from their approach-3 law with their
 * published coefficients ({@link VocabLaw#TAO_2024_PRIOR}): the V where dLu/dV = 0 for a fixed Nnv, width
 * d and FLOPs budget F, with D = F / (6 (Nnv + V d)) tokens (their optimal_Nv_predict.py). Their law knows
 * nothing of artifact bytes: the head is free there, which is why ours is reported beside it.
 */
public final class TaoOptimalVocab {

    /** Their fit of the compute-optimal Nnv: Nnv = exp(-2.4846510161625193) * F^0.5 (optimal_Nv_predict.py). */
    private static final double LOG_NNV_PER_SQRT_FLOP = -2.4846510161625193;

    private TaoOptimalVocab() {
    }

    /** Their compute-optimal FLOPs for a non-embedding size (what their predictor assumes when no F is given). */
    public static double computeOptimalFlops(double nonVocabParameters) {
        double r = nonVocabParameters / Math.exp(LOG_NNV_PER_SQRT_FLOP);
        return r * r;
    }

    /**
     * The optimal vocabulary size; NaN when dLu/dV does not change sign between 16 and 10^8 (no interior optimum).
     * Found by bisection on log V, so the answer does not depend on a starting guess.
     */
    public static double optimalVocab(double nonVocabParameters, double dModel, double flops) {
        if (!(nonVocabParameters > 0 && dModel > 0 && flops > 0)) {
            throw new IllegalArgumentException("nonVocabParameters, dModel and flops must be > 0, got " + nonVocabParameters + ", " + dModel + ", " + flops);
        }
        double lo = Math.log(16), hi = Math.log(1e8);
        double glo = slope(Math.exp(lo), nonVocabParameters, dModel, flops), ghi = slope(Math.exp(hi), nonVocabParameters, dModel, flops);
        if (Math.signum(glo) == Math.signum(ghi)) return Double.NaN;
        for (int i = 0; i < 200; i++) {
            double mid = (lo + hi) / 2;
            double g = slope(Math.exp(mid), nonVocabParameters, dModel, flops);
            if (Math.signum(g) == Math.signum(glo)) lo = mid;
            else hi = mid;
        }
        return Math.exp((lo + hi) / 2);
    }

    /** dLu/dV in their normalised units (V and d in thousands, Nnv in millions, F in 10^15). */
    static double slope(double vocab, double nonVocabParameters, double dModel, double flops) {
        VocabLaw t = VocabLaw.TAO_2024_PRIOR;
        double v = vocab / 1e3, d = dModel / 1e3, n = nonVocabParameters / 1e6, f = flops / 1e15;
        double vocabTerm = -t.alpha2() * t.a2() * d / Math.pow(v * d, t.alpha2() + 1);
        double tokens = f / (6 * (n + v * d));
        double dTokens = f * d / (6 * (n + v * d) * (n + v * d)); // -(dD/dV): more vocabulary parameters, fewer tokens
        double dataTerm = t.beta() * t.b() * dTokens / Math.pow(tokens, t.beta() + 1);
        return vocabTerm + dataTerm;
    }
}
