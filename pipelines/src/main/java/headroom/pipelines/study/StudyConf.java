package headroom.pipelines.study;

import com.typesafe.config.Config;
import headroom.artifact.quant.PrecisionPlan;
import headroom.pipelines.conf.ConfException;
import headroom.pipelines.conf.ConfReader;
import headroom.model.ModelConfig.HeadMode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The {@code headroom.study} section (see reference.conf for each key): the design of small runs
 * (caps x vocabularies x head modes x training budgets x seeds), how they are scored and fitted, and the cap
 * to predict at. Everything else (corpus, recipe, training) is the run conf's, shared by every run of the design.
 * <p>The design must identify the law (issue 21): a vocabulary's trunk keeps the recipe's shape and changes
 * only in width ({@code fill-band} is how far below a cap that may leave it), and at the caps of
 * {@code more-budgets-at-caps} every candidate trains at each of {@code train-budgets}, so training tokens vary
 * at a fixed trunk and vocabulary, apart from N and V.
 */
public record StudyConf(
        List<Long> caps,                 // ascending, distinct: e.g. [125000, 250000, 500000, 1000000]
        List<Integer> vocabSizes,        // ascending, distinct; each a sweep size
        List<HeadMode> headModes,
        List<Long> seeds,                // each candidate is trained once per seed
        PrecisionPlan precisionPlan,     // the runs' post-roundtrip bpb under this plan is what the law fits
        double fillBand,                 // 0.3: a run's estimate may be this far below its cap (the width steps are coarse)
        List<Long> trainBudgets,         // in train.budget.protocol's unit: the first at every cap, all at more-budgets-at-caps
        List<Long> moreBudgetsAtCaps,    // caps that train at every budget
        long targetCapBytes,             // 16,000,000: where the law is carried to
        long targetBudget,               // in train.budget.protocol's unit; 0 = the train conf's own amount
        double huberDelta,               // bits per byte
        int bootstrap,                   // replicates
        long bootstrapSeed) {

    public static final String SECTION = "headroom.study";

    public StudyConf {
        caps = List.copyOf(caps);
        vocabSizes = List.copyOf(vocabSizes);
        headModes = List.copyOf(headModes);
        seeds = List.copyOf(seeds);
        trainBudgets = List.copyOf(trainBudgets);
        moreBudgetsAtCaps = List.copyOf(moreBudgetsAtCaps);
    }

    public static StudyConf from(Config config) {
        ConfReader r = new ConfReader(config, SECTION);
        List<Long> caps = new ArrayList<>(new TreeSet<>(longs(r, "caps", 1000)));
        if (caps.size() < 2) throw ConfException.badValue(r.key("caps"), caps, "list at least 2 caps: the law is validated by leaving one cap out");
        List<Integer> vocabs = new ArrayList<>(new TreeSet<>(r.intList("vocab-sizes", 257, 65_536)));
        if (vocabs.isEmpty()) throw ConfException.badValue(r.key("vocab-sizes"), vocabs, "list at least one vocabulary size (each a sweep size)");
        List<HeadMode> modes = new ArrayList<>();
        for (String m : r.stringList("head-modes")) {
            try {
                modes.add(HeadMode.valueOf(m.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw ConfException.badValue(r.key("head-modes"), m, "use any of " + ConfReader.allowed(HeadMode.class));
            }
        }
        if (modes.isEmpty()) throw ConfException.badValue(r.key("head-modes"), modes, "list at least one head mode");
        List<Long> seeds = new ArrayList<>(new java.util.LinkedHashSet<>(longs(r, "seeds", Long.MIN_VALUE)));
        if (seeds.isEmpty()) throw ConfException.badValue(r.key("seeds"), seeds, "list at least one seed");
        PrecisionPlan plan;
        try {
            plan = PrecisionPlan.parse(r.string("precision-plan"));
        } catch (IllegalArgumentException e) {
            throw ConfException.badValue(r.key("precision-plan"), r.string("precision-plan"), e.getMessage());
        }
        List<Long> budgets = new ArrayList<>(new java.util.LinkedHashSet<>(longs(r, "train-budgets", 1)));
        if (budgets.size() < 2) {
            throw ConfException.badValue(r.key("train-budgets"), budgets, "list at least 2 training budgets: with one, a vocabulary's training tokens "
                    + "are fixed and the law's data exponent cannot be told from its trunk and head terms");
        }
        List<Long> more = new ArrayList<>(new TreeSet<>(longs(r, "more-budgets-at-caps", 1000)));
        if (more.isEmpty() || !caps.containsAll(more)) {
            throw ConfException.badValue(r.key("more-budgets-at-caps"), more, "list at least one of the caps " + caps
                    + ": there every candidate trains at each of train-budgets");
        }
        return new StudyConf(caps, vocabs, List.copyOf(new java.util.LinkedHashSet<>(modes)), seeds, plan,
                r.doubleIn("fill-band", 1e-3, 0.9), budgets, more,
                r.longIn("target-cap-bytes", 1000, Long.MAX_VALUE),
                r.longIn("target-budget", 0, Long.MAX_VALUE),
                r.doubleIn("huber-delta", 1e-6, 10),
                r.intIn("bootstrap", 0, 100_000),
                r.longIn("bootstrap-seed", Long.MIN_VALUE, Long.MAX_VALUE));
    }

    /** The training budgets at this cap: all of them at more-budgets-at-caps, else the first. */
    public List<Long> budgetsAt(long cap) {
        return moreBudgetsAtCaps.contains(cap) ? trainBudgets : List.of(trainBudgets.get(0));
    }

    /** How many runs the design trains. */
    public int runs() {
        return caps.stream().mapToInt(c -> budgetsAt(c).size()).sum() * vocabSizes.size() * headModes.size() * seeds.size();
    }

    private static List<Long> longs(ConfReader r, String path, long min) {
        List<Long> out = new ArrayList<>();
        for (String v : r.stringList(path)) {
            try {
                long x = Long.parseLong(v.trim());
                if (x < min) throw ConfException.badValue(r.key(path), v, "every entry must be at least " + min);
                out.add(x);
            } catch (NumberFormatException e) {
                throw ConfException.badValue(r.key(path), v, "every entry must be a whole number");
            }
        }
        return out;
    }
}
