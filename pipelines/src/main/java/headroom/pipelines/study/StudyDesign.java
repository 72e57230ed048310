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
                    for (Candidate c : BudgetTables.candidates(List.of(m), at(sizing, cap, mode))) {
                        if (!c.fills()) {
                            throw new ConfException(String.format(Locale.ROOT, "the study design cannot fill cap %,d bytes (headroom.study.caps) "
                                    + "with vocabulary %d and a %s head: %s; change that cap or drop the vocabulary", cap, m.vocabSize(),
                                    mode.label(), c.note()));
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
                for (Candidate c : byCap.get(i)) runs.add(new Run(cap, c, seed, CandidateNames.studyRun(cap, c.name(), seed)));
            }
        }
        return runs;
    }

    /** The candidates the same budget model gives at the target cap, for every vocabulary the sweep measured. */
    public static List<Candidate> candidatesAt(long cap, List<HeadMode> modes, List<VocabMetrics> metrics, BudgetTables.Inputs sizing) {
        List<Candidate> out = new ArrayList<>();
        for (HeadMode mode : modes) out.addAll(BudgetTables.candidates(metrics, at(sizing, cap, mode)));
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
