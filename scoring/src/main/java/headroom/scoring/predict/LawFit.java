package headroom.scoring.predict;

import java.util.ArrayList;
import java.util.List;

/**
 * Fits {@link VocabLaw} to scored runs by robust least squares: a Huber loss (quadratic within
 * {@code huberDelta} bits per byte of the law, linear beyond, as Tao et al. do, so one diverged run
 * cannot drag the curve), minimised by Levenberg-Marquardt on iteratively reweighted residuals from
 * a fixed grid of starting exponents. Everything is in a fixed order, so the same runs give the same
 * parameters bit for bit.
 * <p>The parameter vector is {@code [E, ln A1, alpha1, ln A2, alpha2, ln B, beta]}: the logs keep the
 * coefficients positive. Unlike Tao et al. ("Constraint: alpha1=beta") the trunk and data exponents are
 * separate: the study varies the training budget apart from the trunk, so the runs can tell them apart.
 */
public final class LawFit {

    /** Exponents stay in this range (Tao et al. keep theirs in (0.1, 1)); a wider box lets the data speak. */
    static final double MIN_EXPONENT = 0.01, MAX_EXPONENT = 3.0;
    private static final double MAX_LOG_COEFFICIENT = 50;
    private static final double[] START_ALPHA1 = {0.2, 0.45, 0.9};
    private static final double[] START_ALPHA2 = {0.2, 0.45, 0.9};
    private static final double[] START_BETA = {0.2, 0.45, 0.9};
    private static final int MAX_ITERATIONS = 300;
    /** How many of the grid's starts, the lowest objectives first, Levenberg-Marquardt refines. */
    private static final int REFINED_STARTS = 6;

    /** The fitted law and its Huber objective and root-mean-square residual over the runs it was fitted to. */
    public record Result(VocabLaw law, double objective, double rmse) {
    }

    private final double huberDelta;

    public LawFit(double huberDelta) {
        if (!(huberDelta > 0)) throw new IllegalArgumentException("huberDelta must be > 0 (bits per byte), got " + huberDelta);
        this.huberDelta = huberDelta;
    }

    public double huberDelta() {
        return huberDelta;
    }

    /**
     * Fits the law to the runs, after {@link #checkRuns}: a fixed grid of exponents, each with its linear
     * solve for the coefficients, the best {@value #REFINED_STARTS} refined by Levenberg-Marquardt, the lowest objective kept. A bootstrap replicate is fitted by this same method, from the same grid:
     * starting it at the full fit would pull every replicate towards it and narrow the intervals.
     */
    public Result fit(List<ScoredRun> runs) {
        checkRuns(runs);
        Points p = Points.of(runs);
        List<double[]> starts = new ArrayList<>();
        for (double alpha1 : START_ALPHA1) {
            for (double alpha2 : START_ALPHA2) {
                for (double beta : START_BETA) starts.add(linearStart(p, alpha1, alpha2, beta));
            }
        }
        return best(p, starts);
    }

    /**
     * Refuses what the law cannot be fitted to: fewer runs than its parameters, and runs from more than
     * one corpus or tokenizer family (the law's floor and coefficients belong to one text and one BPE run).
     */
    public static void checkRuns(List<ScoredRun> runs) {
        if (runs.size() < VocabLaw.PARAMETERS) {
            throw new IllegalArgumentException("the law has " + VocabLaw.PARAMETERS + " parameters and needs at least as many scored runs, got "
                    + runs.size() + (runs.isEmpty() ? "" : " (" + runs.stream().map(ScoredRun::runId).toList() + ")"));
        }
        ScoredRun first = runs.get(0);
        for (ScoredRun r : runs) {
            if (!r.corpus().equals(first.corpus())) {
                throw new IllegalArgumentException("run " + r.runId() + " was measured on another corpus (" + r.corpus() + ") than run "
                        + first.runId() + " (" + first.corpus() + "): one law is fitted to one corpus");
            }
            if (!r.tokenizer().equals(first.tokenizer())) {
                throw new IllegalArgumentException("run " + r.runId() + " used another tokenizer family (" + r.tokenizer() + ") than run "
                        + first.runId() + " (" + first.tokenizer() + "): one law is fitted to the vocabularies of one BPE run");
            }
        }
    }

    private Result best(Points p, List<double[]> starts) {
        double[] bestTheta = null;
        double bestObjective = Double.POSITIVE_INFINITY;
        // the grid's linear solves are cheap; refining only the best few keeps a bootstrap of hundreds of refits fast
        List<double[]> refined = starts.stream().map(s -> clamp(s.clone()))
                .sorted(java.util.Comparator.comparingDouble(s -> objective(p, s))).limit(REFINED_STARTS).toList();
        for (double[] start : refined) {
            double[] theta = levenbergMarquardt(p, start);
            double objective = objective(p, theta);
            if (objective < bestObjective) {
                bestObjective = objective;
                bestTheta = theta;
            }
        }
        if (bestTheta == null) throw new IllegalStateException("the law could not be fitted from any start: the runs' values are not finite");
        double sq = 0;
        for (int i = 0; i < p.size(); i++) {
            double r = model(p, i, bestTheta) - p.y[i];
            sq += r * r;
        }
        return new Result(VocabLaw.of(bestTheta), bestObjective, Math.sqrt(sq / p.size()));
    }

    /** Given the exponents the law is linear in (E, A1, A2, B): a weighted linear solve gives a start. */
    private double[] linearStart(Points p, double alpha1, double alpha2, double beta) {
        double[] w = new double[p.size()];
        java.util.Arrays.fill(w, 1);
        double[] c = new double[4];
        for (int pass = 0; pass < 5; pass++) {
            double[][] a = new double[4][4];
            double[] rhs = new double[4];
            for (int i = 0; i < p.size(); i++) {
                double[] x = {1, p.s[i] * Math.exp(-alpha1 * p.lnN[i]), p.s[i] * Math.exp(-alpha2 * p.lnX[i]), p.s[i] * Math.exp(-beta * p.lnD[i])};
                for (int j = 0; j < 4; j++) {
                    rhs[j] += w[i] * x[j] * p.y[i];
                    for (int k = 0; k < 4; k++) a[j][k] += w[i] * x[j] * x[k];
                }
            }
            double[] solved = Linear.solveRidged(a, rhs);
            if (solved == null) break;
            c = solved;
            for (int i = 0; i < p.size(); i++) {
                double fitted = c[0] + p.s[i] * (c[1] * Math.exp(-alpha1 * p.lnN[i]) + c[2] * Math.exp(-alpha2 * p.lnX[i]) + c[3] * Math.exp(-beta * p.lnD[i]));
                w[i] = huberWeight(fitted - p.y[i]);
            }
        }
        double floor = 1e-6;
        return new double[]{c[0], Math.log(Math.max(c[1], floor)), alpha1, Math.log(Math.max(c[2], floor)), alpha2, Math.log(Math.max(c[3], floor)), beta};
    }

    /** Levenberg-Marquardt on the Huber objective, the weights recomputed from the residuals at every step. */
    private double[] levenbergMarquardt(Points p, double[] theta) {
        double lambda = 1e-3;
        double objective = objective(p, theta);
        int n = theta.length;
        for (int iter = 0; iter < MAX_ITERATIONS && Double.isFinite(objective); iter++) {
            double[][] jtj = new double[n][n];
            double[] jtr = new double[n];
            for (int i = 0; i < p.size(); i++) {
                double[] g = gradient(p, i, theta);
                double r = model(p, i, theta) - p.y[i];
                double w = huberWeight(r);
                for (int j = 0; j < n; j++) {
                    jtr[j] += w * g[j] * r;
                    for (int k = 0; k < n; k++) jtj[j][k] += w * g[j] * g[k];
                }
            }
            boolean improved = false;
            while (lambda < 1e12) {
                double[][] damped = new double[n][n];
                double[] minus = new double[n];
                for (int j = 0; j < n; j++) {
                    damped[j] = jtj[j].clone();
                    damped[j][j] += lambda * Math.max(jtj[j][j], 1e-12);
                    minus[j] = -jtr[j];
                }
                double[] step = Linear.solve(damped, minus);
                if (step == null) {
                    lambda *= 4;
                    continue;
                }
                double[] next = theta.clone();
                for (int j = 0; j < n; j++) next[j] += step[j];
                clamp(next);
                double nextObjective = objective(p, next);
                if (nextObjective < objective) {
                    double gain = objective - nextObjective;
                    theta = next;
                    objective = nextObjective;
                    lambda = Math.max(lambda / 3, 1e-12);
                    improved = gain > 1e-15 * (1 + objective);
                    break;
                }
                lambda *= 4;
            }
            if (!improved) break;
        }
        return theta;
    }

    double objective(Points p, double[] theta) {
        double sum = 0;
        for (int i = 0; i < p.size(); i++) {
            double r = Math.abs(model(p, i, theta) - p.y[i]);
            sum += r <= huberDelta ? 0.5 * r * r : huberDelta * (r - 0.5 * huberDelta);
        }
        return Double.isFinite(sum) ? sum : Double.POSITIVE_INFINITY;
    }

    private double huberWeight(double residual) {
        double r = Math.abs(residual);
        return r <= huberDelta ? 1 : huberDelta / r;
    }

    static double model(Points p, int i, double[] t) {
        return t[0] + p.s[i] * (Math.exp(t[1] - t[2] * p.lnN[i]) + Math.exp(t[3] - t[4] * p.lnX[i]) + Math.exp(t[5] - t[6] * p.lnD[i]));
    }

    /** d model / d theta at point i. */
    private static double[] gradient(Points p, int i, double[] t) {
        double s = p.s[i];
        double n = Math.exp(t[1] - t[2] * p.lnN[i]), x = Math.exp(t[3] - t[4] * p.lnX[i]), d = Math.exp(t[5] - t[6] * p.lnD[i]);
        return new double[]{1, s * n, -s * n * p.lnN[i], s * x, -s * x * p.lnX[i], s * d, -s * d * p.lnD[i]};
    }

    private static double[] clamp(double[] t) {
        t[2] = Math.min(MAX_EXPONENT, Math.max(MIN_EXPONENT, t[2]));
        t[4] = Math.min(MAX_EXPONENT, Math.max(MIN_EXPONENT, t[4]));
        t[6] = Math.min(MAX_EXPONENT, Math.max(MIN_EXPONENT, t[6]));
        for (int j : new int[]{1, 3, 5}) t[j] = Math.min(MAX_LOG_COEFFICIENT, Math.max(-MAX_LOG_COEFFICIENT, t[j]));
        return t;
    }

    /** The runs in the law's units, as columns. */
    static final class Points {
        final double[] s, lnN, lnX, lnD, y;

        private Points(int n) {
            s = new double[n];
            lnN = new double[n];
            lnX = new double[n];
            lnD = new double[n];
            y = new double[n];
        }

        static Points of(List<ScoredRun> runs) {
            Points p = new Points(runs.size());
            for (int i = 0; i < runs.size(); i++) {
                LawInput in = runs.get(i).input();
                p.s[i] = VocabLaw.perByte(in);
                p.lnN[i] = Math.log(in.nonVocabParameters() / VocabLaw.PARAMETERS_UNIT);
                p.lnX[i] = Math.log(in.vocabParameters() / VocabLaw.PARAMETERS_UNIT);
                p.lnD[i] = Math.log(in.trainingTokens() / VocabLaw.TOKENS_UNIT);
                p.y[i] = runs.get(i).bpb();
            }
            return p;
        }

        int size() {
            return y.length;
        }
    }
}
