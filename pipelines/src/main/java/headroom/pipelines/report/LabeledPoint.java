package headroom.pipelines.report;

import java.util.Objects;

/** One labelled point of a scatter plot, e.g. a candidate at (artifact bytes, bits per byte). */
public record LabeledPoint(String label, double x, double y) {

    public LabeledPoint {
        Objects.requireNonNull(label, "label");
        if (!Double.isFinite(x) || !Double.isFinite(y)) throw new IllegalArgumentException("point '" + label + "' is not finite: (" + x + ", " + y + ")");
    }
}
