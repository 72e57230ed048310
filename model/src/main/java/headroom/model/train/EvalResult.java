package headroom.model.train;

/**
 * Cross-entropy summed over every target of an evaluated token stream, with the UTF-8 bytes those
 * targets carry (DESIGN.md, "bits per byte").
 */
public record EvalResult(double sumNats, long targets, long targetBytes) {

    private static final double LN2 = Math.log(2);

    public EvalResult {
        if (targets <= 0) throw new IllegalArgumentException("targets must be > 0, got " + targets);
        if (targetBytes <= 0) throw new IllegalArgumentException("targetBytes must be > 0, got " + targetBytes);
    }

    /** Mean loss per target token, in nats. */
    public double meanLoss() {
        return sumNats / targets;
    }

    /** bpb = sum_nats / (ln 2 * bytes). */
    public double bpb() {
        return sumNats / (LN2 * targetBytes);
    }
}
