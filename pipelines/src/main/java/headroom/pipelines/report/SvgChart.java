package headroom.pipelines.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.DoubleStream;

/**
 * Small dependency-free SVG charts for the reports: line charts (optionally log2 x), labelled scatter
 * plots with an optional Pareto frontier, and stacked bars; each with axis labels, ticks, a legend and
 * optional reference lines. Every string is XML-escaped, so the output is well-formed XML.
 */
public final class SvgChart {

    static final int WIDTH = 760, HEIGHT = 440;
    private static final double LEFT = 80, RIGHT = 570, TOP = 50, BOTTOM = 380;
    /** Okabe-Ito: distinguishable with the common colour-vision deficiencies. */
    private static final String[] PALETTE = {"#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"};
    private static final String REFERENCE = "#C0392B";

    private SvgChart() {
    }

    /** A chart-sized picture that says in words why there is nothing to draw, where a report always links one. */
    public static String message(String title, String text) {
        return new Svg(WIDTH, 120).text(WIDTH / 2.0, 40, "middle", title, 14, "bold", 0).text(WIDTH / 2.0, 75, "middle", text, 12, "normal", 0).finish();
    }

    public static String line(ChartSpec spec, List<Series> series) {
        if (series.isEmpty() || series.stream().anyMatch(s -> s.x().length == 0)) throw new IllegalArgumentException("a line chart needs series with points");
        Axis x = xAxis(spec, series.stream().flatMapToDouble(s -> DoubleStream.of(s.x())));
        Axis y = yAxis(spec, series.stream().flatMapToDouble(s -> DoubleStream.of(s.y())), false);
        Svg svg = frame(spec, x, y);
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            String color = PALETTE[(s.colorIndex() >= 0 ? s.colorIndex() : i) % PALETTE.length];
            double[] px = new double[s.x().length], py = new double[s.y().length];
            for (int j = 0; j < px.length; j++) {
                px[j] = x.pixel(s.x()[j]);
                py[j] = y.pixel(s.y()[j]);
            }
            svg.polyline(px, py, color, s.dashed() ? 1.5 : 2, s.dashed(), s.name());
            if (!s.dashed()) for (int j = 0; j < px.length; j++) svg.circle(px[j], py[j], 2.5, color, "none");
            legend(svg, i, color, s.name(), s.dashed());
        }
        references(svg, spec, x, y);
        return svg.finish();
    }

    public static String scatter(ChartSpec spec, List<LabeledPoint> points, boolean highlightFrontier) {
        if (points.isEmpty()) throw new IllegalArgumentException("a scatter plot needs points");
        Axis x = xAxis(spec, points.stream().mapToDouble(LabeledPoint::x));
        Axis y = yAxis(spec, points.stream().mapToDouble(LabeledPoint::y), false);
        Svg svg = frame(spec, x, y);
        double[] px = points.stream().mapToDouble(p -> x.pixel(p.x())).toArray();
        double[] py = points.stream().mapToDouble(p -> y.pixel(p.y())).toArray();
        List<LabelPlacer.Placed> labels = LabelPlacer.place(px, py, points.stream().map(LabeledPoint::label).toList(), LEFT, TOP, RIGHT, BOTTOM);
        for (int i = 0; i < px.length; i++) {
            LabelPlacer.Placed l = labels.get(i);
            if (l.displaced()) svg.line(px[i], py[i], l.x() + (l.endAnchored() ? 2 : -2), l.y() - 4, "#999999", 0.8, false);
        }
        if (highlightFrontier) {
            List<LabeledPoint> front = frontier(points);
            double[] fx = front.stream().mapToDouble(p -> x.pixel(p.x())).toArray();
            double[] fy = front.stream().mapToDouble(p -> y.pixel(p.y())).toArray();
            svg.polyline(fx, fy, PALETTE[1], 2, false, "Pareto frontier");
            for (int i = 0; i < fx.length; i++) svg.circle(fx[i], fy[i], 5.5, "none", PALETTE[1]);
            legend(svg, 1, PALETTE[1], "Pareto frontier");
        }
        // points and labels over the frontier, each label on a halo where a line crosses it
        for (int i = 0; i < px.length; i++) {
            LabelPlacer.Placed l = labels.get(i);
            svg.circle(px[i], py[i], 4, PALETTE[0], "#ffffff");
            svg.text(l.x(), l.y(), l.endAnchored() ? "end" : "start", points.get(i).label(), LabelPlacer.FONT_SIZE, "normal", 0, true);
        }
        legend(svg, 0, PALETTE[0], "candidates");
        references(svg, spec, x, y);
        return svg.finish();
    }

    public static String stackedBars(ChartSpec spec, List<String> categories, List<BarStack> stacks) {
        if (spec.log2X() || spec.references().stream().anyMatch(ReferenceLine::vertical)) {
            throw new IllegalArgumentException("stacked bars have a categorical x axis: no log2 x, no vertical reference lines");
        }
        if (categories.isEmpty() || stacks.isEmpty()) throw new IllegalArgumentException("stacked bars need categories and parts");
        for (BarStack stack : stacks) {
            if (stack.values().length != categories.size()) {
                throw new IllegalArgumentException("part '" + stack.part() + "' has " + stack.values().length + " values for " + categories.size() + " bars");
            }
        }
        double[] totals = new double[categories.size()];
        for (BarStack stack : stacks) for (int i = 0; i < totals.length; i++) totals[i] += stack.values()[i];
        Axis y = yAxis(spec, DoubleStream.of(totals), true);
        Svg svg = frame(spec, null, y);
        double slot = (RIGHT - LEFT) / categories.size(), width = slot * 0.6;
        boolean slanted = categories.size() > 6;
        for (int i = 0; i < categories.size(); i++) {
            double left = LEFT + slot * i + (slot - width) / 2, base = 0;
            for (int s = 0; s < stacks.size(); s++) {
                double value = stacks.get(s).values()[i];
                svg.rect(left, y.pixel(base + value), width, y.pixel(base) - y.pixel(base + value), PALETTE[s % PALETTE.length], "none");
                base += value;
            }
            double labelX = left + width / 2;
            svg.text(labelX, BOTTOM + 16, slanted ? "end" : "middle", categories.get(i), 10, "normal", slanted ? -35 : 0);
        }
        for (int s = 0; s < stacks.size(); s++) legend(svg, s, PALETTE[s % PALETTE.length], stacks.get(s).part());
        references(svg, spec, null, y);
        return svg.finish();
    }

    /** Points no other point beats on both axes (lower x and lower y are better), in x order. */
    static List<LabeledPoint> frontier(List<LabeledPoint> points) {
        List<LabeledPoint> sorted = new ArrayList<>(points);
        sorted.sort(Comparator.comparingDouble(LabeledPoint::x).thenComparingDouble(LabeledPoint::y));
        List<LabeledPoint> front = new ArrayList<>();
        for (LabeledPoint p : sorted) {
            if (front.isEmpty() || p.y() < front.get(front.size() - 1).y()) front.add(p);
        }
        return front;
    }

    private static Axis xAxis(ChartSpec spec, DoubleStream data) {
        double[] values = DoubleStream.concat(data, spec.references().stream().filter(ReferenceLine::vertical).mapToDouble(ReferenceLine::value)).toArray();
        double min = DoubleStream.of(values).min().orElseThrow(), max = DoubleStream.of(values).max().orElseThrow();
        return spec.log2X() ? Axis.log2(min, max, LEFT, RIGHT) : Axis.linear(min, max, LEFT, RIGHT);
    }

    private static Axis yAxis(ChartSpec spec, DoubleStream data, boolean fromZero) {
        double[] values = DoubleStream.concat(data, spec.references().stream().filter(r -> !r.vertical()).mapToDouble(ReferenceLine::value)).toArray();
        double min = DoubleStream.of(values).min().orElseThrow(), max = DoubleStream.of(values).max().orElseThrow();
        return Axis.linear(fromZero ? Math.min(0, min) : min, max, BOTTOM, TOP);
    }

    /** Title, grid, ticks and axis labels; x may be null for a categorical axis. */
    private static Svg frame(ChartSpec spec, Axis x, Axis y) {
        Svg svg = new Svg(WIDTH, HEIGHT);
        svg.text(WIDTH / 2.0, 28, "middle", spec.title(), 16, "bold", 0);
        for (double tick : y.ticks()) {
            svg.line(LEFT, y.pixel(tick), RIGHT, y.pixel(tick), "#e5e5e5", 1, false);
            svg.text(LEFT - 8, y.pixel(tick) + 4, "end", y.tickLabel(tick), 11, "normal", 0);
        }
        if (x != null) {
            for (double tick : x.ticks()) {
                svg.line(x.pixel(tick), TOP, x.pixel(tick), BOTTOM, "#e5e5e5", 1, false);
                svg.text(x.pixel(tick), BOTTOM + 18, "middle", x.tickLabel(tick), 11, "normal", 0);
            }
        }
        svg.line(LEFT, BOTTOM, RIGHT, BOTTOM, "#333333", 1, false).line(LEFT, TOP, LEFT, BOTTOM, "#333333", 1, false);
        svg.text((LEFT + RIGHT) / 2, HEIGHT - 14, "middle", spec.xLabel() + (spec.log2X() ? " (log2 scale)" : ""), 12, "normal", 0);
        svg.text(22, (TOP + BOTTOM) / 2, "middle", spec.yLabel(), 12, "normal", -90);
        return svg;
    }

    private static void references(Svg svg, ChartSpec spec, Axis x, Axis y) {
        for (ReferenceLine r : spec.references()) {
            if (r.vertical()) {
                double at = x.pixel(r.value());
                svg.line(at, TOP, at, BOTTOM, REFERENCE, 1.5, true);
                // near the right edge the label goes left of its line, off the legend
                boolean left = at > RIGHT - 80;
                svg.text(left ? at - 4 : at + 4, TOP + 12, left ? "end" : "start", r.label(), 11, "normal", 0);
            } else {
                svg.line(LEFT, y.pixel(r.value()), RIGHT, y.pixel(r.value()), REFERENCE, 1.5, true);
                svg.text(RIGHT - 4, y.pixel(r.value()) - 5, "end", r.label(), 11, "normal", 0);
            }
        }
    }

    private static void legend(Svg svg, int index, String color, String name) {
        legend(svg, index, color, name, false);
    }

    /** A swatch (a dashed line for a dashed series) and the name, one row per entry right of the plot. */
    private static void legend(Svg svg, int index, String color, String name, boolean dashed) {
        double top = TOP + 8 + index * 20;
        if (dashed) svg.line(RIGHT + 18, top + 6, RIGHT + 34, top + 6, color, 2, true);
        else svg.rect(RIGHT + 20, top, 12, 12, color, "none");
        svg.text(RIGHT + 38, top + 10, "start", name, 12, "normal", 0);
    }
}
