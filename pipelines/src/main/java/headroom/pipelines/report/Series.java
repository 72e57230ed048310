package headroom.pipelines.report;

import java.util.Objects;

/** One named line of a line chart: points (x[i], y[i]) in x order. */
public record Series(String name, double[] x, double[] y) {

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
}
