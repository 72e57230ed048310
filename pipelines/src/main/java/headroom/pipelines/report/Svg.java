package headroom.pipelines.report;

import java.util.Locale;

/** A minimal SVG writer: elements with escaped text and coordinates rounded to 0.1 px. */
final class Svg {

    private final StringBuilder out = new StringBuilder();

    Svg(int width, int height) {
        out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n");
        rect(0, 0, width, height, "#ffffff", "none");
    }

    Svg line(double x1, double y1, double x2, double y2, String stroke, double width, boolean dashed) {
        out.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"%.1f\"%s/>%n",
                x1, y1, x2, y2, stroke, width, dashed ? " stroke-dasharray=\"6 4\"" : ""));
        return this;
    }

    Svg rect(double x, double y, double width, double height, String fill, String stroke) {
        out.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" stroke=\"%s\"/>%n",
                x, y, width, height, fill, stroke));
        return this;
    }

    Svg circle(double x, double y, double r, String fill, String stroke) {
        out.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\" stroke=\"%s\"/>%n", x, y, r, fill, stroke));
        return this;
    }

    Svg polyline(double[] xs, double[] ys, String stroke, double width, boolean dashed, String title) {
        StringBuilder points = new StringBuilder();
        for (int i = 0; i < xs.length; i++) points.append(String.format(Locale.ROOT, "%s%.1f,%.1f", i == 0 ? "" : " ", xs[i], ys[i]));
        out.append("<polyline fill=\"none\" stroke=\"").append(stroke).append(String.format(Locale.ROOT, "\" stroke-width=\"%.1f\"", width))
                .append(dashed ? " stroke-dasharray=\"5 3\"" : "").append(" points=\"").append(points).append("\"><title>").append(Xml.escape(title)).append("</title></polyline>\n");
        return this;
    }

    /** Text at (x, y); anchor is start, middle or end; rotate in degrees about the anchor point. */
    Svg text(double x, double y, String anchor, String content, int size, String weight, double rotate) {
        return text(x, y, anchor, content, size, weight, rotate, false);
    }

    /** The same with a white halo under the glyphs, so that a label stays legible where a line crosses it. */
    Svg text(double x, double y, String anchor, String content, int size, String weight, double rotate, boolean halo) {
        out.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\" font-weight=\"%s\"", x, y, anchor, size, weight));
        if (halo) out.append(" stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\"");
        if (rotate != 0) out.append(String.format(Locale.ROOT, " transform=\"rotate(%.0f %.1f %.1f)\"", rotate, x, y));
        out.append('>').append(Xml.escape(content)).append("</text>\n");
        return this;
    }

    String finish() {
        return out.append("</svg>\n").toString();
    }
}
