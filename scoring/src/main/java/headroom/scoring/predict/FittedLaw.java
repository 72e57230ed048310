package headroom.scoring.predict;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A law ready to predict with: the prior, or a fit to scored runs with its bootstrap replicates (each a
 * refit, from the full fit's own grid of starts, on runs resampled with replacement within each cap), so
 * every prediction comes with an interval. Saved as {@code law.json} by {@link LawJson}.
 */
public record FittedLaw(
        String basis,                 // "prior" (Tao et al. 2024, no run measured) or "fit"
        VocabLaw law,
        List<VocabLaw> bootstrap,     // empty on the prior
        int runs,
        int candidates,
        String corpus,                // "" on the prior
        String tokenizer,             // "" on the prior
        double huberDelta,            // bits per byte; NaN on the prior
        double rmse,                  // bits per byte over the fitted runs; NaN on the prior
        long bootstrapSeed,
        int bootstrapFailures) {      // replicates whose refit failed (left out of the interval)

    public static final String PRIOR = "prior";
    public static final String FIT = "fit";

    public FittedLaw {
        if (!PRIOR.equals(basis) && !FIT.equals(basis)) throw new IllegalArgumentException("basis must be prior or fit, got " + basis);
        bootstrap = List.copyOf(bootstrap);
    }

    /** Tao et al.'s coefficients, before any run exists: ranks candidates, forecasts no level, has no interval. */
    public static FittedLaw prior() {
        return new FittedLaw(PRIOR, VocabLaw.TAO_2024_PRIOR, List.of(), 0, 0, "", "", Double.NaN, Double.NaN, 0, 0);
    }

    /**
     * Fits the runs (refusing what {@link LawFit#checkRuns} refuses) and bootstraps {@code replicates} refits.
     * The runs are put in runId order first, so the result depends on the set of runs, not their order.
     * Runs are resampled within each cap: every replicate keeps the design's caps, so it extrapolates from
     * the same range as the full fit; and each refit starts from the same grid as the full fit, not from the
     * full fit's answer, which would pull the replicates together and narrow the interval.
     */
    public static FittedLaw fit(List<ScoredRun> runs, double huberDelta, int replicates, long seed) {
        if (replicates < 0) throw new IllegalArgumentException("replicates must be >= 0, got " + replicates);
        List<ScoredRun> sorted = runs.stream().sorted(Comparator.comparing(ScoredRun::runId)).toList();
        LawFit fitter = new LawFit(huberDelta);
        LawFit.Result full = fitter.fit(sorted);
        Map<Long, List<ScoredRun>> byCap = new java.util.TreeMap<>();
        for (ScoredRun r : sorted) byCap.computeIfAbsent(r.capBytes(), k -> new ArrayList<>()).add(r);
        List<List<ScoredRun>> strata = List.copyOf(byCap.values());
        long candidates = sorted.stream().map(ScoredRun::candidateKey).distinct().count();

        SplittableRandom random = new SplittableRandom(seed);
        List<VocabLaw> replicateLaws = new ArrayList<>();
        int failures = 0;
        for (int b = 0; b < replicates; b++) {
            List<ScoredRun> sample = new ArrayList<>();
            for (List<ScoredRun> stratum : strata) {
                for (int s = 0; s < stratum.size(); s++) sample.add(stratum.get(random.nextInt(stratum.size())));
            }
            try {
                replicateLaws.add(fitter.fit(sample).law());
            } catch (RuntimeException degenerate) {
                failures++;
            }
        }
        return new FittedLaw(FIT, full.law(), replicateLaws, sorted.size(), (int) candidates, sorted.get(0).corpus(),
                sorted.get(0).tokenizer(), huberDelta, full.rmse(), seed, failures);
    }

    public boolean isPrior() {
        return PRIOR.equals(basis);
    }

    /** The law's prediction with its 95% bootstrap interval (NaN bounds on the prior). */
    public Prediction predict(LawInput in) {
        return predict(in, 0.95);
    }

    /** The law's prediction with its central bootstrap interval of this coverage, e.g. 0.9 (NaN bounds on the prior). */
    public Prediction predict(LawInput in, double level) {
        if (!(level > 0 && level < 1)) throw new IllegalArgumentException("level must be in (0, 1), got " + level);
        double point = law.predict(in);
        if (bootstrap.isEmpty()) return new Prediction(point, Double.NaN, Double.NaN);
        double[] values = bootstrap.stream().mapToDouble(l -> l.predict(in)).sorted().toArray();
        return new Prediction(point, percentile(values, (1 - level) / 2), percentile(values, (1 + level) / 2));
    }

    /** A parameter's central bootstrap interval of this coverage, e.g. {@code l -> l.beta()}; NaN on the prior. */
    public double[] interval(java.util.function.ToDoubleFunction<VocabLaw> parameter, double level) {
        if (bootstrap.isEmpty()) return new double[]{Double.NaN, Double.NaN};
        double[] values = bootstrap.stream().mapToDouble(parameter).sorted().toArray();
        return new double[]{percentile(values, (1 - level) / 2), percentile(values, (1 + level) / 2)};
    }

    /** Linear interpolation between order statistics (values sorted ascending). */
    static double percentile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos), hi = (int) Math.ceil(pos);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    @Override
    public String toString() {
        return basis + " " + law + " over " + runs + " runs, bootstrap " + bootstrap.size();
    }
}
