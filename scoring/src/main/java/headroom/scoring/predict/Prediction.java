package headroom.scoring.predict;

/**
 * A predicted post-roundtrip bits per byte and its 95% bootstrap interval (the 2.5th and 97.5th
 * percentiles of the refitted laws' predictions: the uncertainty of the law, not seed noise). The
 * interval is NaN on the prior, which no run has measured.
 */
public record Prediction(double bpb, double low, double high) {

    public boolean hasInterval() {
        return Double.isFinite(low) && Double.isFinite(high);
    }

    /** Whether {@code other}'s prediction lies inside this interval: the two cannot be told apart by the law. */
    public boolean overlaps(Prediction other) {
        return hasInterval() && other.bpb >= low && other.bpb <= high;
    }
}
