package headroom.pipelines.sweep;

import com.typesafe.config.Config;
import headroom.pipelines.conf.ConfException;
import headroom.pipelines.conf.ConfReader;
import headroom.tokenizer.BpeConfig;
import headroom.tokenizer.ReferenceTokenizers;
import headroom.artifact.quant.PrecisionPlan;
import headroom.artifact.quant.QuantFormat;
import headroom.model.BudgetFit;
import headroom.model.ModelConfig.HeadMode;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** The {@code headroom.sweep} section (see reference.conf for each key). */
public record SweepConf(
        List<Integer> vocabSizes,        // sorted, distinct; the largest is trained once, the rest are prefixes
        List<String> specialTokens,
        long minPairCount,
        int maxTokenBytes,
        int maxDistinctPieces,
        long minPieceCount,
        String heldout,                  // "" = none
        int valMaxDocs,                  // 0 = every val document
        List<String> referenceTokenizers,
        Budget budget,
        PrecisionPlan sizingPlan,        // the first of headroom.score.precision-plans: the plan candidates fill the cap under
        ContextLength context,           // headroom.model.context-bytes / seq-len
        HypothesisConf hypothesis) {

    public static final String SECTION = "headroom.sweep";

    /** The byte budget model's inputs (DESIGN.md, "the budget model"); bytes per parameter are priors by storage format. */
    public record Budget(long capBytes, List<Integer> widths, List<HeadMode> headModes, int factorizedRank,
                         Map<QuantFormat, Double> bytesPerParameter, String measuredBytesPerParameter,
                         long overheadBytes, long codeBytes, BudgetFit.Search fill) {

        /** The same budget with the container overhead a measurement saw instead of the conf's allowance. */
        public Budget withOverhead(long overhead) {
            return new Budget(capBytes, widths, headModes, factorizedRank, bytesPerParameter, measuredBytesPerParameter, overhead, codeBytes, fill);
        }

        /** The same budget under another cap (a study sizes its candidates at several). */
        public Budget withCap(long cap) {
            return new Budget(cap, widths, headModes, factorizedRank, bytesPerParameter, measuredBytesPerParameter, overheadBytes, codeBytes, fill);
        }
    }

    /** The score key whose first plan sizes the candidates. */
    public static final String PLANS_KEY = "headroom.score.precision-plans";

    public SweepConf {
        vocabSizes = List.copyOf(vocabSizes);
        int base = 256 + specialTokens.size();
        for (int v : vocabSizes) {
            if (v < base) {
                throw ConfException.badValue(SECTION + ".vocab-sizes", vocabSizes,
                        "every size must be at least 256 bytes + " + specialTokens.size() + " special token(s) = " + base + ", got " + v);
            }
        }
    }

    public static SweepConf from(Config config) {
        ConfReader r = new ConfReader(config, SECTION);
        List<String> specials = r.stringList("special-tokens");
        if (specials.isEmpty()) throw ConfException.badValue(r.key("special-tokens"), specials, "needs at least the BOS token, e.g. [\"<|bos|>\"]");
        List<Integer> sizes = new ArrayList<>(new TreeSet<>(r.intList("vocab-sizes", 257, BpeConfig.MAX_VOCAB_SIZE)));
        if (sizes.isEmpty()) throw ConfException.badValue(r.key("vocab-sizes"), sizes, "list at least one vocabulary size");
        List<String> refs = r.stringList("reference-tokenizers");
        for (String ref : refs) {
            if (!ReferenceTokenizers.NAMES.contains(ref)) {
                throw ConfException.badValue(r.key("reference-tokenizers"), ref, "use any of " + ReferenceTokenizers.NAMES);
            }
        }
        return new SweepConf(sizes, specials,
                r.longIn("min-pair-count", 1, Long.MAX_VALUE),
                r.intIn("max-token-bytes", 2, 1024),
                r.intIn("max-distinct-pieces", 1000, Integer.MAX_VALUE),
                r.longIn("min-piece-count", 1, Long.MAX_VALUE),
                r.string("heldout"),
                r.intIn("val-max-docs", 0, Integer.MAX_VALUE),
                refs,
                budget(r.section("budget")),
                sizingPlan(config),
                ContextLength.from(config),
                HypothesisConf.from(config));
    }

    /** Every plan of headroom.score.precision-plans, in order: the hypothesis design is sized under each. */
    public static List<PrecisionPlan> plans(Config config) {
        List<PrecisionPlan> out = new ArrayList<>();
        for (String spec : new ConfReader(config, "").stringList(PLANS_KEY)) {
            try {
                out.add(PrecisionPlan.parse(spec));
            } catch (IllegalArgumentException e) {
                throw ConfException.badValue(PLANS_KEY, spec, e.getMessage());
            }
        }
        if (out.isEmpty()) throw ConfException.badValue(PLANS_KEY, List.of(), "list at least one precision plan");
        return out;
    }

    private static PrecisionPlan sizingPlan(Config config) {
        List<String> plans = new ConfReader(config, "").stringList(PLANS_KEY);
        if (plans.isEmpty()) throw ConfException.badValue(PLANS_KEY, plans, "list at least one precision plan");
        try {
            return PrecisionPlan.parse(plans.get(0));
        } catch (IllegalArgumentException e) {
            throw ConfException.badValue(PLANS_KEY, plans.get(0), e.getMessage());
        }
    }

    private static Budget budget(ConfReader r) {
        List<HeadMode> modes = new ArrayList<>();
        for (String m : r.stringList("head-modes")) {
            try {
                modes.add(HeadMode.ofLabel(m));
            } catch (IllegalArgumentException e) {
                throw ConfException.badValue(r.key("head-modes"), m, "use any of " + ConfReader.allowed(HeadMode.class));
            }
        }
        if (modes.isEmpty()) throw ConfException.badValue(r.key("head-modes"), modes, "list at least one head mode");
        Map<QuantFormat, Double> bpp = new EnumMap<>(QuantFormat.class);
        ConfReader b = r.section("bytes-per-param");
        for (QuantFormat f : QuantFormat.values()) bpp.put(f, b.doubleIn(f.specName(), 0.01, 8));
        ConfReader fill = r.section("fill");
        return new Budget(r.longIn("cap-bytes", 1000, Long.MAX_VALUE), r.intList("widths", 8, 16384), List.copyOf(modes),
                r.intIn("factorized-rank", 1, 4096), bpp, r.string("measured-bytes-per-param"),
                r.longIn("overhead-bytes", 0, Long.MAX_VALUE), r.longIn("code-bytes", 0, Long.MAX_VALUE),
                new BudgetFit.Search(fill.doubleIn("band", 0.001, 0.5), fill.intIn("max-unique-blocks", 1, 64),
                        fill.intIn("max-mlp-mult", 1, 16)));
    }

    public int largestVocab() {
        return vocabSizes.get(vocabSizes.size() - 1);
    }

    public BpeConfig bpeConfig() {
        return new BpeConfig(largestVocab(), minPairCount, specialTokens, maxTokenBytes);
    }
}
