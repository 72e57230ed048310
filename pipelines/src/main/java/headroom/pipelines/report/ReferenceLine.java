package headroom.pipelines.report;

import java.util.Objects;

/** A dashed labelled line across the plot: horizontal at y = value, or vertical at x = value. */
public record ReferenceLine(String label, double value, boolean vertical) {

    public ReferenceLine {
        Objects.requireNonNull(label, "label");
        if (!Double.isFinite(value)) throw new IllegalArgumentException("reference line '" + label + "' value must be finite, got " + value);
    }

    public static ReferenceLine horizontal(String label, double y) {
        return new ReferenceLine(label, y, false);
    }

    public static ReferenceLine vertical(String label, double x) {
        return new ReferenceLine(label, x, true);
    }
}
