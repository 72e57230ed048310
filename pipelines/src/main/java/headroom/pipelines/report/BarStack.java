package headroom.pipelines.report;

import java.util.Objects;

/** One part of a stacked bar chart: its value in every bar (e.g. "trunk" bytes per candidate). */
public record BarStack(String part, double[] values) {

    public BarStack {
        Objects.requireNonNull(part, "part");
        values = values.clone();
        for (int i = 0; i < values.length; i++) {
            if (!(values[i] >= 0) || Double.isInfinite(values[i])) {
                throw new IllegalArgumentException("part '" + part + "' value " + i + " must be finite and >= 0, got " + values[i]);
            }
        }
    }
}
