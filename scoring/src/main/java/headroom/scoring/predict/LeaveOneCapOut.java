package headroom.scoring.predict;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The predictor's validation (DESIGN.md, "The predictor"): for each cap, fit the law on the other caps'
 * runs and predict the held-out cap's candidates; report Spearman's rank correlation and the mean
 * absolute error between predicted and measured bits per byte (each candidate's seeds averaged first,
 * since the question is how well the law orders candidates, not seeds).
 */
public final class LeaveOneCapOut {

    /** One candidate of the held-out cap: the mean of its seeds' measurements and the law's prediction. */
    public record Point(String candidate, int vocabSize, int seeds, double measured, double predicted) {
    }

    /** One fold; {@code skipped} says why no fit was made (too few runs at the other caps), else "". */
    public record Fold(long heldOutCap, int trainingRuns, List<Point> points, double spearman, double meanAbsoluteError, String skipped) {
        public Fold {
            points = List.copyOf(points);
        }
    }

    private LeaveOneCapOut() {
    }

    public static List<Fold> run(List<ScoredRun> runs, double huberDelta) {
        List<Fold> folds = new ArrayList<>();
        for (long cap : new TreeSet<>(runs.stream().map(ScoredRun::capBytes).toList())) {
            List<ScoredRun> train = runs.stream().filter(r -> r.capBytes() != cap).toList();
            List<ScoredRun> held = runs.stream().filter(r -> r.capBytes() == cap).toList();
            if (train.size() < VocabLaw.PARAMETERS) {
                folds.add(new Fold(cap, train.size(), List.of(), Double.NaN, Double.NaN,
                        "the other caps have " + train.size() + " runs, fewer than the law's " + VocabLaw.PARAMETERS + " parameters"));
                continue;
            }
            VocabLaw law = new LawFit(huberDelta).fit(train.stream().sorted(java.util.Comparator.comparing(ScoredRun::runId)).toList()).law();
            Map<String, List<ScoredRun>> byCandidate = new LinkedHashMap<>();
            held.stream().sorted(java.util.Comparator.comparing(ScoredRun::runId))
                    .forEach(r -> byCandidate.computeIfAbsent(r.candidate(), k -> new ArrayList<>()).add(r));
            List<Point> points = new ArrayList<>();
            for (List<ScoredRun> seeds : byCandidate.values()) {
                double measured = seeds.stream().mapToDouble(ScoredRun::bpb).average().orElseThrow();
                double predicted = seeds.stream().mapToDouble(r -> law.predict(r.input())).average().orElseThrow();
                points.add(new Point(seeds.get(0).candidate(), seeds.get(0).vocabSize(), seeds.size(), measured, predicted));
            }
            double[] p = points.stream().mapToDouble(Point::predicted).toArray();
            double[] m = points.stream().mapToDouble(Point::measured).toArray();
            folds.add(new Fold(cap, train.size(), points, RankStats.spearman(p, m), RankStats.meanAbsoluteError(p, m), ""));
        }
        return folds;
    }
}
