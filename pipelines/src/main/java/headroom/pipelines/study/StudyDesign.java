package headroom.pipelines.study;

import headroom.pipelines.conf.ConfException;
import headroom.pipelines.sweep.BudgetTables;
import headroom.pipelines.sweep.SweepConf;
import headroom.pipelines.sweep.SweepRows.Candidate;
import headroom.pipelines.sweep.SweepRows.VocabMetrics;
import headroom.model.CandidateNames;
import headroom.model.ModelConfig.HeadMode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The study's runs: for every cap, one candidate per (vocabulary, head mode) at the recipe's shape, only its
 * width sized to the cap by the sweep's budget model ({@link BudgetTables#widthOnly}); each is trained at the
 * cap's budgets ({@link StudyConf#budgetsAt}), once per seed. A design with a cap that some (vocabulary, head
 * mode) cannot fill within the study's band is refused before anything trains. Pure.
 */
public final class StudyDesign {

    /**
     * One run of the design: a candidate at a cap, trained at a budget (train.budget.protocol's unit) with a seed;
     * {@code name} is its folder and stage name.
     */
    public record Run(long capBytes, Candidate candidate, long budget, long seed, String name) {
        /** The candidate and its budget: the seeds of one label at one cap are one point of the validation. */
        public String label() {
            return label(candidate.name(), budget);
        }

        static String label(String candidate, long budget) {
            return candidate + "-b" + budget;
        }
    }

    private StudyDesign() {
    }

    /** Every run, ordered by seed, then cap, then budget, then vocabulary and head mode: the first seed's full design is done first. */
    public static List<Run> runs(StudyConf study, List<VocabMetrics> metrics, BudgetTables.Inputs sizing) {
        List<VocabMetrics> chosen = new ArrayList<>();
        for (int v : study.vocabSizes()) {
            chosen.add(metrics.stream().filter(m -> m.vocabSize() == v).findFirst().orElseThrow(() -> new ConfException(
                    "headroom.study.vocab-sizes lists " + v + ", which the sweep did not measure (it has "
                            + metrics.stream().map(VocabMetrics::vocabSize).toList() + "); add it to headroom.sweep.vocab-sizes")));
        }
        List<List<Candidate>> byCap = new ArrayList<>();
        for (long cap : study.caps()) {
            List<Candidate> candidates = new ArrayList<>();
            for (VocabMetrics m : chosen) {
                for (HeadMode mode : study.headModes()) {
                    for (Candidate c : BudgetTables.widthOnly(List.of(m), at(sizing, cap, mode), study.fillBand())) {
                        if (!c.fills()) {
                            throw new ConfException(String.format(Locale.ROOT, "the study design cannot fill cap %,d bytes (headroom.study.caps) "
                                    + "with vocabulary %d and a %s head: %s; change that cap, widen headroom.study.fill-band or drop the vocabulary",
                                    cap, m.vocabSize(), mode.label(), c.note()));
                        }
                        candidates.add(c);
                    }
                }
            }
            byCap.add(candidates);
        }
        List<Run> runs = new ArrayList<>();
        for (long seed : study.seeds()) {
            for (int i = 0; i < study.caps().size(); i++) {
                long cap = study.caps().get(i);
                for (long budget : study.budgetsAt(cap)) {
                    for (Candidate c : byCap.get(i)) runs.add(new Run(cap, c, budget, seed, CandidateNames.studyRun(cap, Run.label(c.name(), budget), seed)));
                }
            }
        }
        return runs;
    }

    /** The candidates the same sizing gives at another cap (the recipe's shape, the widest d under it), for every vocabulary given. */
    public static List<Candidate> candidatesAt(long cap, List<HeadMode> modes, List<VocabMetrics> metrics, BudgetTables.Inputs sizing, double band) {
        List<Candidate> out = new ArrayList<>();
        for (HeadMode mode : modes) out.addAll(BudgetTables.widthOnly(metrics, at(sizing, cap, mode), band));
        return out;
    }

    /** The sweep's sizing inputs at another cap, for one head mode. */
    private static BudgetTables.Inputs at(BudgetTables.Inputs in, long cap, HeadMode mode) {
        SweepConf.Budget b = in.budget().withCap(cap);
        SweepConf.Budget oneMode = new SweepConf.Budget(b.capBytes(), b.widths(), List.of(mode), b.factorizedRank(), b.bytesPerParameter(),
                b.measuredBytesPerParameter(), b.overheadBytes(), b.codeBytes(), b.fill());
        return new BudgetTables.Inputs(oneMode, in.plan(), in.bytesPerParameter(), in.recipe(), in.context());
    }
}
