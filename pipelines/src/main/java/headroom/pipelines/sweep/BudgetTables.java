package headroom.pipelines.sweep;

import headroom.pipelines.conf.ConfException;
import headroom.pipelines.sweep.HypothesisConf.VocabPair;
import headroom.pipelines.sweep.SweepRows.BudgetRow;
import headroom.pipelines.sweep.SweepRows.Candidate;
import headroom.pipelines.sweep.SweepRows.VocabMetrics;
import headroom.model.BudgetFit;
import headroom.model.CandidateNames;
import headroom.model.ModelConfig;
import headroom.model.ModelConfig.HeadMode;
import headroom.core.TensorClass;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The budget model over the measured vocabularies (DESIGN.md, "the budget model"), priced under one
 * precision plan's bytes per parameter, and the hypothesis designs of {@code headroom.hypothesis.pairs}. Pure.
 */
public final class BudgetTables {

    /**
     * What the tables are computed from: the sweep's budget section, the plan's bytes per parameter (and, where measured, each
     * vocabulary's own), the recipe, the context, and the tag the plan's candidate names carry ("" for the first plan, whose
     * names stay plain; "-int5" for a candidate sized under a uniform int5 plan).
     */
    public record Inputs(SweepConf.Budget budget, String plan, Map<TensorClass, Double> bytesPerParameter, BudgetFit.Recipe recipe,
                  ContextLength context, Map<Integer, Map<TensorClass, Double>> byVocab, String nameTag) {

        /** One plan's bytes per parameter for every vocabulary, names untagged. */
        public Inputs(SweepConf.Budget budget, String plan, Map<TensorClass, Double> bytesPerParameter, BudgetFit.Recipe recipe,
                      ContextLength context) {
            this(budget, plan, bytesPerParameter, recipe, context, Map.of(), "");
        }

        public Inputs {
            byVocab = Map.copyOf(byVocab);
        }

        /** This vocabulary's bytes per parameter: measured for it when it was, else the plan's. */
        public Map<TensorClass, Double> bytesPerParameter(int vocabSize) {
            return byVocab.getOrDefault(vocabSize, bytesPerParameter);
        }
    }

    private BudgetTables() {
    }

    static List<BudgetRow> budgetRows(List<VocabMetrics> metrics, Inputs in) {
        List<BudgetRow> rows = new ArrayList<>();
        for (VocabMetrics m : metrics) {
            for (HeadMode mode : in.budget().headModes()) {
                for (int d : in.budget().widths()) {
                    int rank = rank(mode, in);
                    if (mode == HeadMode.FACTORIZED && rank >= d) continue; // a rank >= d is no factorization
                    BudgetFit.Result r = fit(m, mode, in).estimate(d);
                    long left = in.budget().capBytes() - r.bytes().head() - m.tokenizerBytes() - in.budget().overheadBytes() - in.budget().codeBytes();
                    rows.add(new BudgetRow(m.vocabSize(), mode.label(), rank, d, r.parameters().embeddingHead(),
                            r.bytes().head(), m.tokenizerBytes(), left, 2.0 * m.vocabSize() * d * m.trainTokensPerByte(),
                            in.context().tokens(m.trainTokensPerByte())));
                }
            }
        }
        return rows;
    }

    /** One row per (vocabulary, head mode): the shape that fills the cap under the plan, or why none does. */
    public static List<Candidate> candidates(List<VocabMetrics> metrics, Inputs in) {
        List<Candidate> out = new ArrayList<>();
        for (VocabMetrics m : metrics) {
            for (HeadMode mode : in.budget().headModes()) {
                BudgetFit.Fill f = fit(m, mode, in).fill(in.budget().fill());
                out.add(row(m, mode, f.result(), f.filled(), f.reason(), "", "", in));
            }
        }
        return out;
    }

    /**
     * One row per (vocabulary, head mode) at the recipe's own shape (U, L and MLP multiple as configured), only
     * the width d chosen: the widest whose estimate is under the cap. It fills when that estimate is within
     * {@code band} below the cap. The study sizes its runs so (issue 21): across caps a vocabulary's trunk then
     * changes in size only, not in shape.
     */
    public static List<Candidate> widthOnly(List<VocabMetrics> metrics, Inputs in, double band) {
        List<Candidate> out = new ArrayList<>();
        long cap = in.budget().capBytes();
        for (VocabMetrics m : metrics) {
            for (HeadMode mode : in.budget().headModes()) {
                BudgetFit fit = fit(m, mode, in);
                int step = in.recipe().widthStep();
                int d = mode == HeadMode.FACTORIZED ? (rank(mode, in) / step + 1) * step : step; // a factorized head needs d > r
                BudgetFit.Result widest = null;
                for (BudgetFit.Result r = fit.estimate(d); r.bytes().total() <= cap; r = fit.estimate(d += step)) widest = r;
                if (widest == null) {
                    BudgetFit.Result narrowest = fit.estimate(d);
                    out.add(row(m, mode, Optional.empty(), false, String.format(Locale.ROOT, "at the recipe's shape (U %d, MLP x%d) even d=%d is "
                            + "estimated at %,d bytes > %,d", in.recipe().uniqueBlocks(), in.recipe().mlpMult(), d, narrowest.bytes().total(), cap),
                            "", "", in));
                    continue;
                }
                boolean fills = widest.bytes().total() >= (1 - band) * cap;
                out.add(row(m, mode, Optional.of(widest), fills, fills ? "" : String.format(Locale.ROOT,
                        "at the recipe's shape (U %d, MLP x%d) the widest d under the cap, %d, fills %.1f%%, more than %.0f%% below it",
                        in.recipe().uniqueBlocks(), in.recipe().mlpMult(), widest.config().dModel(), 100 * widest.fill(), 100 * band), "", "", in));
            }
        }
        return out;
    }

    /**
     * DESIGN.md's decomposition for each pair: A = V_large filling the cap; B = V_small with exactly A's
     * trunk (d, U, L, MLP multiple), its freed head bytes left unspent; C = V_small grown to fill the cap,
     * preferring A's U and multiple so that the freed bytes go to width first.
     */
    static List<Candidate> design(List<VocabMetrics> metrics, List<VocabPair> pairs, HeadMode mode, Inputs in) {
        List<Candidate> out = new ArrayList<>();
        for (VocabPair p : pairs) {
            VocabMetrics small = metric(metrics, p.small(), p);
            VocabMetrics large = metric(metrics, p.large(), p);
            BudgetFit.Fill a = fit(large, mode, in).fill(in.budget().fill());
            out.add(row(large, mode, a.result(), a.filled(), a.reason(), "A", p.label(), in));
            if (a.result().isEmpty()) continue;
            BudgetFit.Result ar = a.result().get();
            BudgetFit.Result b = fit(small, mode, in).estimate(ar.shape());
            String bNote = String.format(Locale.ROOT, "A's trunk with V=%d: %,d head bytes freed and left unspent (by design)",
                    p.small(), ar.bytes().head() - b.bytes().head());
            out.add(row(small, mode, Optional.of(b), false, bNote, "B", p.label(), in));
            BudgetFit.Fill c = fit(small, mode, in).fill(in.budget().fill(), ar.config().uniqueBlocks(), ar.config().mlpMult());
            out.add(row(small, mode, c.result(), c.filled(), c.reason(), "C", p.label(), in));
        }
        return out;
    }

    private static VocabMetrics metric(List<VocabMetrics> metrics, int vocabSize, VocabPair pair) {
        return metrics.stream().filter(m -> m.vocabSize() == vocabSize).findFirst().orElseThrow(() -> ConfException.badValue(
                HypothesisConf.SECTION + ".pairs", "[" + pair.small() + ", " + pair.large() + "]", "vocabulary size " + vocabSize
                        + " is not one the sweep measured " + metrics.stream().map(VocabMetrics::vocabSize).toList()
                        + "; add it to headroom.sweep.vocab-sizes"));
    }

    private static Candidate row(VocabMetrics m, HeadMode mode, Optional<BudgetFit.Result> result, boolean fills, String note,
                                 String role, String pair, Inputs in) {
        int seqLen = in.context().tokens(m.trainTokensPerByte());
        double contextBytes = seqLen / m.trainTokensPerByte();
        long cap = in.budget().capBytes();
        if (result.isEmpty()) {
            return new Candidate(CandidateNames.selector(m.vocabSize(), mode.label(), rank(mode, in)) + in.nameTag(), role, pair, m.vocabSize(),
                    mode.label(), rank(mode, in), 0, 0, in.recipe().loops(), 0, in.plan(), 0, 0, 0, 0, 0, false, note, cap,
                    m.trainTokensPerByte(), m.valTokensPerByte(), seqLen, contextBytes, 0);
        }
        BudgetFit.Result r = result.get();
        ModelConfig c = r.config();
        return new Candidate(name(c) + in.nameTag(), role, pair, c.vocabSize(), mode.label(), c.headRank(), c.dModel(), c.uniqueBlocks(),
                c.loops(), c.mlpMult(), in.plan(), r.parameters().total(), r.parameters().embeddingHead(), r.parameters().trunk(),
                r.bytes().total(), r.fill(), fills, note, r.headroomBytes(), m.trainTokensPerByte(), m.valTokensPerByte(), seqLen,
                contextBytes, 2.0 * c.vocabSize() * c.dModel() * m.valTokensPerByte());
    }

    /** The candidate name of a sized model. */
    private static String name(ModelConfig c) {
        return CandidateNames.candidate(new CandidateNames.Candidate(c.vocabSize(), c.headMode().label(), c.headRank(), c.dModel(),
                c.uniqueBlocks(), c.loops(), c.mlpMult()));
    }

    private static int rank(HeadMode mode, Inputs in) {
        return mode == HeadMode.FACTORIZED ? in.budget().factorizedRank() : 0;
    }

    private static BudgetFit fit(VocabMetrics m, HeadMode mode, Inputs in) {
        return new BudgetFit(in.budget().capBytes(), m.vocabSize(), mode, rank(mode, in), in.bytesPerParameter(m.vocabSize()), m.tokenizerBytes(),
                in.budget().overheadBytes() + in.budget().codeBytes(), in.context().tokens(m.trainTokensPerByte()), in.recipe());
    }
}
