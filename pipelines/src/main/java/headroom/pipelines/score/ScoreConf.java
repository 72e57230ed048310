package headroom.pipelines.score;

import headroom.scoring.AllocationTarget;
import com.typesafe.config.Config;
import headroom.pipelines.conf.ConfException;
import headroom.pipelines.conf.ConfReader;
import headroom.pipelines.conf.HeadroomConf;
import headroom.artifact.quant.PrecisionPlan;
import headroom.pipelines.sweep.HypothesisConf;
import headroom.pipelines.spark.TaskParallelism;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code headroom.score} section, plus the keys of other sections that scoring reads: the cap
 * the fill band and the out-of-domain set (sweep), the hypothesis rules and the system keys of
 * training (batch size, device, threads). Precedence: CLI overrides > run conf > reference.conf.
 */
public record ScoreConf(
        List<PrecisionPlan> precisionPlans, // distinct by name, in conf order
        List<Integer> evalLoops,            // L' >= 1, distinct, ascending; entries <= 0 in the conf are skipped
        int valMaxDocs,                     // 0 = every val document (the score is defined on all of val)
        int heldoutMaxDocs,                 // 0 = every out-of-domain document
        boolean baselines,                  // gzip / xz / zstd bits per byte of the val bytes
        long capBytes,                      // headroom.sweep.budget.cap-bytes
        long codeBytes,                     // headroom.sweep.budget.code-bytes: what the code takes of the cap
        String heldout,                     // headroom.sweep.heldout; "" = none
        double fillBand,                    // headroom.sweep.budget.fill.band: an artifact in band fills [(1 - band) x cap, cap]
        HypothesisConf hypothesis,          // headroom.hypothesis: the minimum effect and the bytes tolerance
        int batchSize,                      // headroom.train.batch-size: windows per forward pass
        String device,                      // headroom.train.device: auto, cpu or gpu
        int threads,                        // headroom.train.threads: torch intra-op threads, 0 = leave as is
        List<AllocationTarget> allocateTargets, // byte allocation targets, in conf order; empty = no allocated plans
        int calibrationTokens,              // train-split tokens the allocator's distortion is measured on
        boolean firstOrder,                 // allocate.distortion = taylor: add the sample's gradient term to the Fisher term
        int parallelism,                    // 1 = in the driver; N or auto (TaskParallelism.AUTO): one Spark task per (model, plan)
        NgramConf ngram) {                  // the byte n-gram floor

    public static final String SECTION = "headroom.score";
    public static final String PARALLELISM_KEY = SECTION + ".parallelism";
    private static final String[] OTHER_KEYS = {"headroom.sweep.budget.cap-bytes", "headroom.sweep.budget.code-bytes", "headroom.sweep.heldout",
            "headroom.sweep.budget.fill.band", "headroom.hypothesis",
            "headroom.train.batch-size", "headroom.train.device", "headroom.train.threads", "headroom.train.budget.primary",
            "headroom.train.budget.primary-why"};

    public ScoreConf {
        precisionPlans = List.copyOf(precisionPlans);
        evalLoops = List.copyOf(evalLoops);
        allocateTargets = List.copyOf(allocateTargets);
        if (precisionPlans.isEmpty()) throw ConfException.badValue(SECTION + ".precision-plans", precisionPlans, "list at least one precision plan");
        if (codeBytes >= capBytes) {
            throw ConfException.badValue("headroom.sweep.budget.code-bytes", codeBytes,
                    "the code must leave room for the artifact under headroom.sweep.budget.cap-bytes = " + capBytes);
        }
    }

    /** What an artifact may take: the cap less the code's bytes, as the sweep budgets it (BudgetTables). */
    public long artifactCapBytes() {
        return capBytes - codeBytes;
    }

    public static ScoreConf from(Config config) {
        ConfReader r = new ConfReader(config, SECTION);
        Map<String, PrecisionPlan> plans = new LinkedHashMap<>();
        for (String spec : r.stringList("precision-plans")) {
            try {
                PrecisionPlan plan = PrecisionPlan.parse(spec);
                plans.putIfAbsent(plan.name(), plan);
            } catch (IllegalArgumentException e) {
                throw ConfException.badValue(r.key("precision-plans"), spec, e.getMessage());
            }
        }
        List<Integer> loops = new ArrayList<>(r.intList("eval-loops", Integer.MIN_VALUE, 64).stream()
                .filter(l -> l > 0).distinct().sorted().toList());
        List<AllocationTarget> targets = new ArrayList<>();
        for (String spec : r.stringList("allocate.targets")) {
            try {
                AllocationTarget target = AllocationTarget.parse(spec);
                if (!targets.contains(target)) targets.add(target);
            } catch (IllegalArgumentException e) {
                throw ConfException.badValue(r.key("allocate.targets"), spec, "use " + AllocationTarget.ALLOWED);
            }
        }
        String device = new ConfReader(config, "headroom.train").string("device");
        if (!List.of("auto", "cpu", "gpu").contains(device)) {
            throw ConfException.badValue("headroom.train.device", device, "use auto, cpu or gpu");
        }
        return new ScoreConf(List.copyOf(plans.values()), loops,
                r.intIn("val-max-docs", 0, Integer.MAX_VALUE),
                r.intIn("heldout-max-docs", 0, Integer.MAX_VALUE),
                r.bool("baselines"),
                new ConfReader(config, "headroom.sweep.budget").longIn("cap-bytes", 1000, Long.MAX_VALUE),
                new ConfReader(config, "headroom.sweep.budget").longIn("code-bytes", 0, Long.MAX_VALUE),
                new ConfReader(config, "headroom.sweep").string("heldout"),
                new ConfReader(config, "headroom.sweep.budget.fill").doubleIn("band", 0.001, 0.5),
                HypothesisConf.from(config),
                new ConfReader(config, "headroom.train").intIn("batch-size", 1, 1 << 16),
                device,
                new ConfReader(config, "headroom.train").intIn("threads", 0, 1024),
                targets,
                r.intIn("allocate.calibration-tokens", 64, 1 << 24),
                distortion(r),
                TaskParallelism.setting(r),
                NgramConf.from(r));
    }

    private static boolean distortion(ConfReader r) {
        String d = r.string("allocate.distortion");
        if (!d.equals("fisher") && !d.equals("taylor")) throw ConfException.badValue(r.key("allocate.distortion"), d, "use fisher or taylor");
        return d.equals("taylor");
    }

    /**
     * The score section and every outside key it reads, as JSON: the stage's conf fingerprint. The parallelism is left out:
     * any gives the same artifacts and rows, so changing it re-scores nothing.
     */
    public static String snapshot(Config config) {
        Config section = config.withoutPath(PARALLELISM_KEY);
        StringBuilder s = new StringBuilder(HeadroomConf.render(section, SECTION));
        for (String key : OTHER_KEYS) s.append('\n').append(key).append('=').append(HeadroomConf.render(config, key));
        return s.toString();
    }
}
