package headroom.pipelines.report;

import java.util.Objects;

/**
 * One named line of a line chart: points (x[i], y[i]) in x order; its colour is the palette's
 * {@code colorIndex} (-1: by its place in the chart) and it may be dashed, so that two lines of one
 * thing (a seed's train and val curves) share a colour.
 */
public record Series(String name, double[] x, double[] y, int colorIndex, boolean dashed) {

    public Series {
        Objects.requireNonNull(name, "name");
        if (x.length != y.length) throw new IllegalArgumentException("series '" + name + "' has " + x.length + " x values but " + y.length + " y values");
        x = x.clone();
        y = y.clone();
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) {
                throw new IllegalArgumentException("series '" + name + "' point " + i + " is not finite: (" + x[i] + ", " + y[i] + ")");
            }
        }
    }

    public Series(String name, double[] x, double[] y) {
        this(name, x, y, -1, false);
    }

    public Series inColor(int index) {
        return new Series(name, x, y, index, dashed);
    }

    public Series asDashed() {
        return new Series(name, x, y, colorIndex, true);
    }
}
