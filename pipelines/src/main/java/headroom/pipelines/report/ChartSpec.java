package headroom.pipelines.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** A chart's frame: title, axis labels, whether x is on a log2 scale, and reference lines (e.g. the byte cap). */
public record ChartSpec(String title, String xLabel, String yLabel, boolean log2X, List<ReferenceLine> references) {

    public ChartSpec {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(xLabel, "xLabel");
        Objects.requireNonNull(yLabel, "yLabel");
        references = List.copyOf(references);
    }

    public static ChartSpec of(String title, String xLabel, String yLabel) {
        return new ChartSpec(title, xLabel, yLabel, false, List.of());
    }

    public ChartSpec withLog2X() {
        return new ChartSpec(title, xLabel, yLabel, true, references);
    }

    public ChartSpec withReference(ReferenceLine line) {
        List<ReferenceLine> more = new ArrayList<>(references);
        more.add(line);
        return new ChartSpec(title, xLabel, yLabel, log2X, more);
    }
}
