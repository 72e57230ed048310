package headroom.artifact.alloc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Spends a byte budget across tensors where it lowers the summed distortion most (llama.cpp's
 * target-size allocation, by greedy marginal gain). Every tensor starts at its cheapest option; then,
 * repeatedly, the upgrade with the largest distortion drop per added byte that still fits is taken.
 * Upgrades move along each frontier's lower convex hull first (where greedy equals the Lagrangian
 * optimum), then a last pass spends what is left on any frontier option that fits. The result never
 * exceeds the budget: a budget below the cheapest options' sum is an error naming that sum.
 */
public final class Allocator {

    private Allocator() {
    }

    public static Allocation allocate(List<Frontier> frontiers, double budgetBytes) {
        double smallest = frontiers.stream().mapToDouble(f -> f.cheapest().bytes()).sum();
        if (smallest > budgetBytes) throw new BudgetTooSmallException(budgetBytes, smallest);
        int n = frontiers.size();
        int[] at = new int[n]; // index into each frontier
        double spent = smallest;
        List<List<Integer>> hulls = new ArrayList<>();
        for (Frontier f : frontiers) hulls.add(lowerHull(f.options()));
        int[] hullAt = new int[n];
        boolean[] blocked = new boolean[n];
        while (true) {
            int best = -1;
            double bestGain = 0;
            for (int t = 0; t < n; t++) {
                if (blocked[t] || hullAt[t] + 1 >= hulls.get(t).size()) continue;
                TensorOption from = frontiers.get(t).options().get(at[t]);
                TensorOption to = frontiers.get(t).options().get(hulls.get(t).get(hullAt[t] + 1));
                double gain = (from.distortion() - to.distortion()) / (to.bytes() - from.bytes());
                if (best < 0 || gain > bestGain) {
                    best = t;
                    bestGain = gain;
                }
            }
            if (best < 0) break;
            TensorOption from = frontiers.get(best).options().get(at[best]);
            int next = hulls.get(best).get(hullAt[best] + 1);
            TensorOption to = frontiers.get(best).options().get(next);
            if (bytesWith(frontiers, at, best, next) > budgetBytes) {
                blocked[best] = true; // its next hull step does not fit; smaller steps come in the fill pass
                continue;
            }
            at[best] = next;
            hullAt[best]++;
            spent = bytesWith(frontiers, at, best, next);
        }
        spent = fill(frontiers, at, spent, budgetBytes);
        Map<String, TensorOption> chosen = new LinkedHashMap<>();
        double distortion = 0;
        for (int t = 0; t < n; t++) {
            TensorOption o = frontiers.get(t).options().get(at[t]);
            chosen.put(frontiers.get(t).tensor(), o);
            distortion += o.distortion();
        }
        return new Allocation(chosen, spent, distortion);
    }

    /** Spends what is left: repeatedly the single move to any frontier option that fits and lowers distortion most. */
    private static double fill(List<Frontier> frontiers, int[] at, double spent, double budgetBytes) {
        while (true) {
            int bestTensor = -1, bestOption = -1;
            double bestDrop = 0;
            for (int t = 0; t < frontiers.size(); t++) {
                List<TensorOption> options = frontiers.get(t).options();
                TensorOption current = options.get(at[t]);
                for (int j = at[t] + 1; j < options.size(); j++) {
                    TensorOption o = options.get(j);
                    double drop = current.distortion() - o.distortion();
                    if (drop > bestDrop && bytesWith(frontiers, at, t, j) <= budgetBytes) {
                        bestTensor = t;
                        bestOption = j;
                        bestDrop = drop;
                    }
                }
            }
            if (bestTensor < 0) return spent;
            at[bestTensor] = bestOption;
            spent = bytesWith(frontiers, at, bestTensor, bestOption);
        }
    }

    /** The bytes of the current choice with tensor t moved to option j, summed afresh in tensor order so rounding cannot creep past the budget. */
    private static double bytesWith(List<Frontier> frontiers, int[] at, int t, int j) {
        double sum = 0;
        for (int i = 0; i < frontiers.size(); i++) sum += frontiers.get(i).options().get(i == t ? j : at[i]).bytes();
        return sum;
    }

    /** Indices of the frontier's lower convex hull in (bytes, distortion), from the cheapest option to the best. */
    static List<Integer> lowerHull(List<TensorOption> options) {
        List<Integer> hull = new ArrayList<>();
        for (int i = 0; i < options.size(); i++) {
            while (hull.size() >= 2) {
                TensorOption a = options.get(hull.get(hull.size() - 2)), b = options.get(hull.get(hull.size() - 1)), c = options.get(i);
                // b is above the segment a-c (or on it): drop it
                double cross = (b.bytes() - a.bytes()) * (c.distortion() - a.distortion()) - (b.distortion() - a.distortion()) * (c.bytes() - a.bytes());
                if (cross <= 0) hull.remove(hull.size() - 1);
                else break;
            }
            hull.add(i);
        }
        return hull;
    }

    /** A target below what the cheapest option of every tensor reaches. */
    public static final class BudgetTooSmallException extends IllegalArgumentException {
        private final double smallest;

        BudgetTooSmallException(double budget, double smallest) {
            super(String.format(java.util.Locale.ROOT, "byte budget %.0f is below the smallest reachable %.0f bytes (every tensor at its cheapest option)",
                    budget, smallest));
            this.smallest = smallest;
        }

        public double smallest() {
            return smallest;
        }
    }
}
