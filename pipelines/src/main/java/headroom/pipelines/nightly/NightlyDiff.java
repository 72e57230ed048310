package headroom.pipelines.nightly;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Compares one night with the previous one, metric by metric. Pure. */
public final class NightlyDiff {

    private NightlyDiff() {
    }

    /** One metric across two nights; {@code change} is relative, except for bits per byte (absolute). */
    public record Change(String metric, Double previous, Double current, double change, double threshold, boolean flagged) {
    }

    public static List<Change> compare(NightMetrics previous, NightMetrics current, NightlyConf.Thresholds t) {
        List<Change> out = new ArrayList<>();
        TreeSet<String> names = new TreeSet<>(previous.values().keySet());
        names.addAll(current.values().keySet());
        for (String name : names) {
            Double a = previous.values().get(name);
            Double b = current.values().get(name);
            NightMetrics.Kind kind = NightMetrics.Kind.of(name);
            double threshold = switch (kind) {
                case TOKENS_PER_BYTE -> t.tokensPerByte();
                case ESTIMATED_BYTES -> t.estimatedBytes();
                case SECONDS -> t.seconds();
                case BPB -> t.bpb();
            };
            if (a == null || b == null) {
                // A metric that appears or disappears is news, but only a missing one is a regression.
                out.add(new Change(name, a, b, Double.NaN, threshold, b == null));
                continue;
            }
            double change = kind == NightMetrics.Kind.BPB ? b - a : (a == 0 ? (b == 0 ? 0 : Double.POSITIVE_INFINITY) : (b - a) / Math.abs(a));
            out.add(new Change(name, a, b, change, threshold, Math.abs(change) > threshold));
        }
        return out;
    }

    public static boolean anyFlagged(List<Change> changes) {
        return changes.stream().anyMatch(Change::flagged);
    }

    static Map<String, Object> summary(List<Change> changes) {
        return Map.of("metrics", changes.size(), "flagged", changes.stream().filter(Change::flagged).count());
    }
}
