package headroom.model.train;

/**
 * Whether a run finished learning (DESIGN.md, "Runs that finished learning"): how far its val bits per byte moved over the
 * last {@code tailFraction} of its steps. The trainer evaluates at the tail's start ({@link headroom.model.TrainConfig#tailStartStep})
 * and at the end; a run stopped early (max-seconds) is judged from its last evaluation at or before the tail's start, a
 * longer window, so the flag errs towards "still learning". A rise counts as movement too: a run whose val bpb climbs at
 * the end has not settled either.
 *
 * @param tailStartStep the evaluation the tail is measured from; -1 when the log has no evaluation before the end
 * @param tailMoveBpb   val bpb at tailStartStep - val bpb at endStep (positive: still falling); NaN when unmeasured
 * @param stillLearning |tailMoveBpb| above the threshold, or unmeasured
 */
public record Convergence(long tailStartStep, double tailStartBpb, long endStep, double endBpb, double tailMoveBpb, boolean stillLearning) {

    /**
     * From a log's evaluations ({@code steps} ascending, {@code valBpb} at each): the last one is the end, the tail starts
     * at the last evaluation at or before {@code end - ceil(tailFraction x end)}.
     */
    public static Convergence of(long[] steps, double[] valBpb, double tailFraction, double maxTailMoveBpb) {
        if (steps.length != valBpb.length) throw new IllegalArgumentException(steps.length + " steps but " + valBpb.length + " val values");
        if (steps.length == 0) return new Convergence(-1, Double.NaN, -1, Double.NaN, Double.NaN, true);
        int last = steps.length - 1;
        long tailStart = tailStartStep(steps[last], tailFraction);
        int from = -1;
        for (int i = 0; i < last; i++) if (steps[i] <= tailStart) from = i;
        if (from < 0) return new Convergence(-1, Double.NaN, steps[last], valBpb[last], Double.NaN, true);
        double move = valBpb[from] - valBpb[last];
        return new Convergence(steps[from], valBpb[from], steps[last], valBpb[last], move, !(Math.abs(move) <= maxTailMoveBpb));
    }

    /** The first step of the last {@code tailFraction} of {@code endStep} steps: {@code endStep - ceil(tailFraction x endStep)}, at least 0. */
    public static long tailStartStep(long endStep, double tailFraction) {
        return Math.max(0, endStep - (long) Math.ceil(tailFraction * endStep - 1e-9));
    }
}
