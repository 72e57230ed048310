package headroom.pipelines.study;

import headroom.pipelines.conf.ConfException;
import headroom.pipelines.sweep.BudgetTables;
import headroom.pipelines.sweep.SweepConf;
import headroom.pipelines.sweep.SweepRows.Candidate;
import headroom.pipelines.sweep.SweepRows.VocabMetrics;
import headroom.training.BudgetFit;
import headroom.training.ModelConfig.HeadMode;
import headroom.training.TensorClass;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The study's runs: for every cap, the sweep's budget model sizes one candidate per (vocabulary, head
 * mode), exactly as the sweep does at its own cap; each is trained once per seed. A design with a cap
 * that some (vocabulary, head mode) cannot fill is refused before anything trains. Pure.
 */
public final class StudyDesign {

    /** One run of the design: a candidate at a cap, with a seed; {@code name} is its folder and stage name. */
    public record Run(long capBytes, Candidate candidate, long seed, String name) {
    }

    private StudyDesign() {
    }

    /** Every run, ordered by seed, then cap, then vocabulary and head mode: the first seed's full design is done first. */
    public static List<Run> runs(StudyConf study, List<VocabMetrics> metrics, SweepConf.Budget budget, Map<TensorClass, Double> bpp,
                                 BudgetFit.Recipe recipe) {
        List<VocabMetrics> chosen = new ArrayList<>();
        for (int v : study.vocabSizes()) {
            chosen.add(metrics.stream().filter(m -> m.vocabSize() == v).findFirst().orElseThrow(() -> new ConfException(
                    "headroom.study.vocab-sizes lists " + v + ", which the sweep did not measure (it has "
                            + metrics.stream().map(VocabMetrics::vocabSize).toList() + "); add it to headroom.sweep.vocab-sizes")));
        }
        List<List<Candidate>> byCap = new ArrayList<>();
        for (long cap : study.caps()) {
            SweepConf.Budget atCap = budget.withCap(cap);
            List<Candidate> candidates = new ArrayList<>();
            for (VocabMetrics m : chosen) {
                for (HeadMode mode : study.headModes()) {
                    String why = BudgetTables.whyNoCandidate(m, mode, atCap, bpp, recipe);
                    if (!why.isEmpty()) {
                        throw new ConfException(String.format(Locale.ROOT, "the study design cannot fill cap %,d bytes (headroom.study.caps) with "
                                + "vocabulary %d and a %s head: %s; raise that cap or drop the vocabulary", cap, m.vocabSize(),
                                mode.name().toLowerCase(Locale.ROOT), why));
                    }
                    candidates.addAll(BudgetTables.candidates(List.of(m), withMode(atCap, mode), bpp, recipe));
                }
            }
            byCap.add(candidates);
        }
        List<Run> runs = new ArrayList<>();
        for (long seed : study.seeds()) {
            for (int i = 0; i < study.caps().size(); i++) {
                long cap = study.caps().get(i);
                for (Candidate c : byCap.get(i)) runs.add(new Run(cap, c, seed, "c" + cap + "-" + c.name() + "-s" + seed));
            }
        }
        return runs;
    }

    /** The candidates the same budget model gives at the target cap, for every vocabulary the sweep measured. */
    public static List<Candidate> candidatesAt(long cap, List<HeadMode> modes, List<VocabMetrics> metrics, SweepConf.Budget budget,
                                               Map<TensorClass, Double> bpp, BudgetFit.Recipe recipe) {
        List<Candidate> out = new ArrayList<>();
        for (HeadMode mode : modes) out.addAll(BudgetTables.candidates(metrics, withMode(budget.withCap(cap), mode), bpp, recipe));
        return out;
    }

    private static SweepConf.Budget withMode(SweepConf.Budget b, HeadMode mode) {
        return new SweepConf.Budget(b.capBytes(), b.widths(), List.of(mode), b.factorizedRank(), b.bytesPerParameter(),
                b.measuredBytesPerParameter(), b.overheadBytes(), b.codeBytes(), b.contextTokens());
    }
}
