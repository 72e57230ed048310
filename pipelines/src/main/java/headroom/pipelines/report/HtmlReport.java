package headroom.pipelines.report;

import headroom.core.io.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Builds one self-contained HTML page (inline CSS and SVG, no scripts, no external files): headings,
 * paragraphs, tables, charts, links. All text is escaped; numeric table cells are right-aligned.
 */
public final class HtmlReport {

    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d{1,3}(,\\d{3})+|\\d+)?(\\.\\d+)?([eE][+-]?\\d+)?%?");
    private static final String STYLE = """
            body{font-family:Helvetica,Arial,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
            h1{font-size:1.6em}h2{font-size:1.25em;margin-top:1.6em}
            table{border-collapse:collapse;margin:1em 0;font-size:0.9em}
            th,td{border-bottom:1px solid #ddd;padding:4px 10px;text-align:left}
            th{background:#f4f4f4}td.num{text-align:right;font-variant-numeric:tabular-nums}
            figure{margin:1em 0}""";

    private final String title;
    private final StringBuilder body = new StringBuilder();

    public HtmlReport(String title) {
        this.title = Objects.requireNonNull(title, "title");
    }

    public HtmlReport heading(String text) {
        body.append("<h2>").append(Xml.escape(text)).append("</h2>\n");
        return this;
    }

    public HtmlReport paragraph(String text) {
        body.append("<p>").append(Xml.escape(text)).append("</p>\n");
        return this;
    }

    /** A table; every row must have the header's number of cells. */
    public HtmlReport table(List<String> header, List<List<String>> rows) {
        body.append("<table>\n<thead><tr>");
        for (String h : header) body.append("<th>").append(Xml.escape(h)).append("</th>");
        body.append("</tr></thead>\n<tbody>\n");
        for (int r = 0; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            if (row.size() != header.size()) {
                throw new IllegalArgumentException("table row " + r + " has " + row.size() + " cells, the header has " + header.size());
            }
            body.append("<tr>");
            for (String cell : row) {
                body.append(isNumber(cell) ? "<td class=\"num\">" : "<td>").append(Xml.escape(cell)).append("</td>");
            }
            body.append("</tr>\n");
        }
        body.append("</tbody>\n</table>\n");
        return this;
    }

    /** An inline chart: markup from {@link SvgChart}, inserted as is. */
    public HtmlReport svg(String svgMarkup) {
        String trimmed = svgMarkup.strip();
        if (!trimmed.startsWith("<svg") || !trimmed.endsWith("</svg>")) {
            throw new IllegalArgumentException("svg must be one <svg> element from SvgChart, got one starting with '"
                    + trimmed.substring(0, Math.min(20, trimmed.length())) + "'");
        }
        body.append("<figure>\n").append(trimmed).append("\n</figure>\n");
        return this;
    }

    public HtmlReport link(String text, String href) {
        body.append("<p><a href=\"").append(Xml.escape(href)).append("\">").append(Xml.escape(text)).append("</a></p>\n");
        return this;
    }

    public String render() {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + Xml.escape(title) + "</title>\n<style>\n"
                + STYLE + "\n</style>\n</head>\n<body>\n<h1>" + Xml.escape(title) + "</h1>\n" + body + "</body>\n</html>\n";
    }

    /** Writes the page atomically (temp file, then rename). */
    public void write(Path path) throws IOException {
        AtomicFiles.write(path, render().getBytes(StandardCharsets.UTF_8));
    }

    static boolean isNumber(String cell) {
        return !cell.isEmpty() && cell.chars().anyMatch(Character::isDigit) && NUMBER.matcher(cell).matches();
    }
}
