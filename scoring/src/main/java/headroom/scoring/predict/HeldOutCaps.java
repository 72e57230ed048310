package headroom.scoring.predict;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The predictor's validation as the law is used (DESIGN.md, "The predictor"; issue 21). The main test is
 * forward extrapolation: fit on the smaller caps, predict every candidate of the largest cap, held out
 * entirely. Leave-one-cap-out is the second view. Each fold's law is set beside two guesses that fit
 * nothing, scored the same way on the same points: "larger V is better" (an order, no value) and "each V's
 * mean over the other caps" (a value, hence an order too). A law that does not beat them is not yet a
 * predictor, and {@link Fold#shortfalls} says so in words. Pure.
 */
public final class HeldOutCaps {

    /** Fewer points than this leave Spearman undefined: with 3 or 4 points it takes a handful of values and chance reaches 1 often. */
    public static final int MIN_SPEARMAN_POINTS = 5;
    /** The goal on the held-out largest cap: this pairwise order accuracy over at least {@link #GOAL_PAIRS} pairs, and an MAE below the mean guess. */
    public static final double GOAL_ORDER_ACCURACY = 0.8;
    public static final int GOAL_PAIRS = 10;

    public static final String FORWARD = "forward";
    public static final String LEAVE_ONE_OUT = "leave-one-cap-out";
    static final String LARGER_V = "'larger V is better'";
    static final String MEAN_OVER_CAPS = "'each V's mean over the other caps'";

    /**
     * One candidate of the held-out cap (its seeds averaged): measured bpb, the law's prediction, and the
     * mean guess (NaN when the training caps have no run of its vocabulary).
     */
    public record Point(String candidate, int vocabSize, int seeds, double measured, double predicted, double meanGuess) {
    }

    /**
     * How well one predictor orders and values the held-out points: the share of candidate pairs it orders as
     * measured (a pair it ties counts one half) and how many pairs; Spearman (NaN under {@link #MIN_SPEARMAN_POINTS}
     * points); the mean absolute error in bpb (NaN for a guess that gives no value).
     */
    public record Metrics(double orderAccuracy, int pairs, double spearman, double meanAbsoluteError) {
    }

    /** One fold; {@code skipped} says why no fit was made, else "". */
    public record Fold(String kind, long heldOutCap, List<Long> trainingCaps, int trainingRuns, List<Point> points, Metrics law,
                       Metrics largerV, Metrics meanOverCaps, String skipped) {
        public Fold {
            trainingCaps = List.copyOf(trainingCaps);
            points = List.copyOf(points);
        }

        /**
         * In words, each way the law does not beat a guess (a tie does not beat it): order against both guesses,
         * value against the mean guess. Empty when the law beats both, or when the fold was skipped.
         */
        public List<String> shortfalls() {
            if (!skipped.isEmpty()) return List.of();
            List<String> out = new ArrayList<>();
            for (var guess : List.of(Map.entry(LARGER_V, largerV), Map.entry(MEAN_OVER_CAPS, meanOverCaps))) {
                if (!(law.orderAccuracy() > guess.getValue().orderAccuracy())) {
                    out.add(String.format(Locale.ROOT, "the law orders %.2f of %d pairs, %s orders %.2f: the law does not beat it on order",
                            law.orderAccuracy(), law.pairs(), guess.getKey(), guess.getValue().orderAccuracy()));
                }
            }
            if (!(law.meanAbsoluteError() < meanOverCaps.meanAbsoluteError())) {
                out.add(String.format(Locale.ROOT, "the law's MAE is %.4f bpb, against %.4f for %s: the law does not beat it on value",
                        law.meanAbsoluteError(), meanOverCaps.meanAbsoluteError(), MEAN_OVER_CAPS));
            }
            return out;
        }

        /** Issue 21's goal: order accuracy >= 0.8 over >= 10 pairs, and an MAE below the mean guess's. */
        public boolean meetsGoal() {
            return skipped.isEmpty() && law.pairs() >= GOAL_PAIRS && law.orderAccuracy() >= GOAL_ORDER_ACCURACY
                    && law.meanAbsoluteError() < meanOverCaps.meanAbsoluteError();
        }
    }

    private HeldOutCaps() {
    }

    /** The main test: fit on every cap but the largest, predict the largest. */
    public static Fold forward(List<ScoredRun> runs, double huberDelta) {
        TreeSet<Long> caps = new TreeSet<>(runs.stream().map(ScoredRun::capBytes).toList());
        if (caps.size() < 2) throw new IllegalArgumentException("forward extrapolation needs runs at 2 caps or more, got " + caps);
        return fold(FORWARD, caps.last(), runs, huberDelta);
    }

    /** The second view: each cap in turn held out, fitted on all the others. */
    public static List<Fold> leaveOneCapOut(List<ScoredRun> runs, double huberDelta) {
        List<Fold> folds = new ArrayList<>();
        for (long cap : new TreeSet<>(runs.stream().map(ScoredRun::capBytes).toList())) folds.add(fold(LEAVE_ONE_OUT, cap, runs, huberDelta));
        return folds;
    }

    private static Fold fold(String kind, long cap, List<ScoredRun> runs, double huberDelta) {
        List<ScoredRun> train = runs.stream().filter(r -> r.capBytes() != cap).sorted(Comparator.comparing(ScoredRun::runId)).toList();
        List<Long> trainingCaps = new ArrayList<>(new TreeSet<>(train.stream().map(ScoredRun::capBytes).toList()));
        if (train.size() < VocabLaw.PARAMETERS) {
            Metrics none = new Metrics(Double.NaN, 0, Double.NaN, Double.NaN);
            return new Fold(kind, cap, trainingCaps, train.size(), List.of(), none, none, none,
                    "the other caps have " + train.size() + " runs, fewer than the law's " + VocabLaw.PARAMETERS + " parameters");
        }
        VocabLaw law = new LawFit(huberDelta).fit(train).law();
        return score(kind, cap, trainingCaps, train, runs.stream().filter(r -> r.capBytes() == cap).toList(), law::predict);
    }

    /** A fold's points and metrics for any predictor of a run's bpb: the law, or a hand-made one in a test. */
    static Fold score(String kind, long cap, List<Long> trainingCaps, List<ScoredRun> train, List<ScoredRun> held,
                      java.util.function.ToDoubleFunction<LawInput> predictor) {
        Map<Integer, double[]> byVocab = new LinkedHashMap<>(); // sum, count of the training runs' bpb
        for (ScoredRun r : train) {
            double[] s = byVocab.computeIfAbsent(r.vocabSize(), k -> new double[2]);
            s[0] += r.bpb();
            s[1]++;
        }
        Map<String, List<ScoredRun>> byCandidate = new LinkedHashMap<>();
        held.stream().sorted(Comparator.comparing(ScoredRun::runId)).forEach(r -> byCandidate.computeIfAbsent(r.candidate(), k -> new ArrayList<>()).add(r));
        List<Point> points = new ArrayList<>();
        for (List<ScoredRun> seeds : byCandidate.values()) {
            ScoredRun first = seeds.get(0);
            double[] s = byVocab.get(first.vocabSize());
            points.add(new Point(first.candidate(), first.vocabSize(), seeds.size(), seeds.stream().mapToDouble(ScoredRun::bpb).average().orElseThrow(),
                    seeds.stream().mapToDouble(r -> predictor.applyAsDouble(r.input())).average().orElseThrow(), s == null ? Double.NaN : s[0] / s[1]));
        }
        double[] measured = points.stream().mapToDouble(Point::measured).toArray();
        double[] law = points.stream().mapToDouble(Point::predicted).toArray();
        double[] largerV = points.stream().mapToDouble(p -> -p.vocabSize()).toArray(); // lower bpb predicted for larger V
        double[] mean = points.stream().mapToDouble(Point::meanGuess).toArray();
        return new Fold(kind, cap, trainingCaps, train.size(), points, metrics(law, measured, true), metrics(largerV, measured, false),
                metrics(mean, measured, true), "");
    }

    /** Order accuracy, pairs, Spearman (>= 5 points) and, when {@code values}, the MAE over the points with a prediction. */
    static Metrics metrics(double[] predicted, double[] measured, boolean values) {
        double spearman = predicted.length >= MIN_SPEARMAN_POINTS ? RankStats.spearman(predicted, measured) : Double.NaN;
        return new Metrics(RankStats.pairOrderAccuracy(predicted, measured), RankStats.pairs(predicted.length), spearman,
                values ? RankStats.meanAbsoluteError(predicted, measured) : Double.NaN);
    }
}
