package headroom.pipelines.sweep;

import headroom.pipelines.sweep.SweepRows.BudgetRow;
import headroom.pipelines.sweep.SweepRows.Candidate;
import headroom.pipelines.sweep.SweepRows.VocabMetrics;
import headroom.training.BudgetFit;
import headroom.training.ModelConfig;
import headroom.training.ModelConfig.HeadMode;
import headroom.training.TensorClass;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The budget model over the measured vocabularies (DESIGN.md, "the budget model"). Pure. */
public final class BudgetTables {

    private BudgetTables() {
    }

    static List<BudgetRow> budgetRows(List<VocabMetrics> metrics, SweepConf.Budget budget, Map<TensorClass, Double> bpp,
                                      BudgetFit.Recipe recipe) {
        List<BudgetRow> rows = new ArrayList<>();
        for (VocabMetrics m : metrics) {
            for (HeadMode mode : budget.headModes()) {
                for (int d : budget.widths()) {
                    int rank = mode == HeadMode.FACTORIZED ? budget.factorizedRank() : 0;
                    if (mode == HeadMode.FACTORIZED && rank >= d) continue; // a rank >= d is no factorization
                    BudgetFit.Result r = fit(m, mode, budget, bpp, recipe).estimate(d);
                    long left = budget.capBytes() - r.bytes().head() - m.tokenizerBytes() - budget.overheadBytes() - budget.codeBytes();
                    rows.add(new BudgetRow(m.vocabSize(), SweepStage.headModeName(mode), rank, d, r.parameters().embeddingHead(),
                            r.bytes().head(), m.tokenizerBytes(), left,
                            2.0 * m.vocabSize() * d * m.valTokensPerByte(),
                            budget.contextTokens() / m.valTokensPerByte()));
                }
            }
        }
        return rows;
    }

    public static List<Candidate> candidates(List<VocabMetrics> metrics, SweepConf.Budget budget, Map<TensorClass, Double> bpp,
                                      BudgetFit.Recipe recipe) {
        List<Candidate> out = new ArrayList<>();
        for (VocabMetrics m : metrics) {
            for (HeadMode mode : budget.headModes()) {
                BudgetFit.Result r;
                try {
                    r = fit(m, mode, budget, bpp, recipe).fit();
                } catch (IllegalArgumentException nothingFits) {
                    continue; // reported by the budget table: the trunk budget is negative there
                }
                ModelConfig c = r.config();
                out.add(new Candidate(name(c), c.vocabSize(), SweepStage.headModeName(mode), c.headRank(), c.dModel(),
                        c.uniqueBlocks(), c.loops(), r.parameters().total(), r.parameters().embeddingHead(), r.parameters().trunk(),
                        r.bytes().total(), r.headroomBytes(), m.valTokensPerByte(),
                        budget.contextTokens() / m.valTokensPerByte(), 2.0 * c.vocabSize() * c.dModel() * m.valTokensPerByte()));
            }
        }
        return out;
    }

    /** Why no candidate of this vocabulary and head mode fits the budget's cap ("" when one does). */
    public static String whyNoCandidate(VocabMetrics m, HeadMode mode, SweepConf.Budget budget, Map<TensorClass, Double> bpp, BudgetFit.Recipe recipe) {
        try {
            fit(m, mode, budget, bpp, recipe).fit();
            return "";
        } catch (IllegalArgumentException nothingFits) {
            return nothingFits.getMessage();
        }
    }

    /** e.g. {@code v1024-tied-d384-3x3}: vocabulary, head, width, unique blocks x loops. */
    static String name(ModelConfig c) {
        String head = switch (c.headMode()) {
            case TIED -> "tied";
            case UNTIED -> "untied";
            case FACTORIZED -> "fact" + c.headRank();
        };
        return "v" + c.vocabSize() + "-" + head + "-d" + c.dModel() + "-" + c.uniqueBlocks() + "x" + c.loops();
    }

    private static BudgetFit fit(VocabMetrics m, HeadMode mode, SweepConf.Budget budget, Map<TensorClass, Double> bpp, BudgetFit.Recipe recipe) {
        int rank = mode == HeadMode.FACTORIZED ? budget.factorizedRank() : 0;
        return new BudgetFit(budget.capBytes(), m.vocabSize(), mode, rank, bpp, m.tokenizerBytes(),
                budget.overheadBytes() + budget.codeBytes(), recipe);
    }
}
