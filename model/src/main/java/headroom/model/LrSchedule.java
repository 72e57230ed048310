package headroom.model;

/**
 * nanoGPT's get_lr: linear warmup to lr over warmupSteps, then cosine or linear decay to minLr at
 * horizonSteps, then minLr.
 */
public record LrSchedule(double lr, double minLr, long warmupSteps, long horizonSteps, TrainConfig.Decay decay) {

    public LrSchedule {
        if (horizonSteps < 1) throw new IllegalArgumentException("horizonSteps must be >= 1, got " + horizonSteps);
        if (warmupSteps < 0) throw new IllegalArgumentException("warmupSteps must be >= 0, got " + warmupSteps);
    }

    public static LrSchedule of(TrainConfig c) {
        return new LrSchedule(c.lr(), c.minLr(), c.warmupSteps(), c.horizonSteps(), c.decay());
    }

    /** Learning rate of step {@code step} (0-based). */
    public double at(long step) {
        if (step < warmupSteps) return lr * (step + 1) / warmupSteps;
        if (step >= horizonSteps) return minLr;
        long decaySteps = horizonSteps - warmupSteps;
        double progress = decaySteps == 0 ? 1 : (double) (step - warmupSteps) / decaySteps; // in [0, 1)
        double coefficient = switch (decay) {
            case COSINE -> 0.5 * (1 + Math.cos(Math.PI * progress));
            case LINEAR -> 1 - progress;
        };
        return minLr + coefficient * (lr - minLr);
    }
}
