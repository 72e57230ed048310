package headroom.artifact.alloc;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One tensor's Pareto frontier of (bytes, distortion): the options no other option beats on both.
 * In frontier order bytes strictly increase and distortion strictly decreases.
 */
public record Frontier(String tensor, List<TensorOption> options) {

    public Frontier {
        options = List.copyOf(options);
        if (options.isEmpty()) throw new IllegalArgumentException("tensor " + tensor + " has no options");
        for (int i = 1; i < options.size(); i++) {
            if (!(options.get(i).bytes() > options.get(i - 1).bytes() && options.get(i).distortion() < options.get(i - 1).distortion())) {
                throw new IllegalArgumentException("frontier of " + tensor + " is not monotone at option " + i + ": " + options);
            }
        }
    }

    /** The frontier of any options: sorted by bytes (ties: lower distortion first), dominated ones dropped. */
    public static Frontier of(String tensor, List<TensorOption> candidates) {
        List<TensorOption> sorted = new ArrayList<>(candidates);
        sorted.sort(Comparator.comparingDouble(TensorOption::bytes).thenComparingDouble(TensorOption::distortion));
        List<TensorOption> kept = new ArrayList<>();
        for (TensorOption o : sorted) {
            if (kept.isEmpty() || (o.distortion() < kept.get(kept.size() - 1).distortion() && o.bytes() > kept.get(kept.size() - 1).bytes())) {
                kept.add(o);
            }
        }
        return new Frontier(tensor, kept);
    }

    public TensorOption cheapest() {
        return options.get(0);
    }

    public TensorOption best() {
        return options.get(options.size() - 1);
    }
}
