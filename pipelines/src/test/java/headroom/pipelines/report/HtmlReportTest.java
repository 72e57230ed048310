package headroom.pipelines.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HtmlReportTest {

    @Test
    void escapesTextAndRightAlignsNumbers(@TempDir Path dir) throws Exception {
        String svg = SvgChart.line(ChartSpec.of("c", "x", "y"), List.of(new Series("s", new double[]{1, 2}, new double[]{3, 4})));
        HtmlReport report = new HtmlReport("Score <run 1>")
                .paragraph("bpb & bytes: <script>alert(1)</script>")
                .table(List.of("candidate", "bytes", "bpb"), List.of(List.of("v1024", "15,863,489", "1.2244"), List.of("v8192 \"big\"", "-3.5e2", "n/a")))
                .svg(svg)
                .link("leaderboard", "leaderboard.csv?a=1&b=2");
        Path path = dir.resolve("report/score.html");
        report.write(path);
        String html = Files.readString(path, StandardCharsets.UTF_8);
        assertEquals(report.render(), html);
        assertTrue(html.contains("<title>Score &lt;run 1&gt;</title>"));
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assertFalse(html.contains("<script>"));
        assertTrue(html.contains("<td class=\"num\">15,863,489</td><td class=\"num\">1.2244</td>"));
        assertTrue(html.contains("<td>v8192 &quot;big&quot;</td><td class=\"num\">-3.5e2</td><td>n/a</td>"));
        assertTrue(html.contains("href=\"leaderboard.csv?a=1&amp;b=2\""));
        assertTrue(html.contains("<figure>\n<svg"));
    }

    @Test
    void rejectsRaggedRowsAndForeignMarkup() {
        HtmlReport report = new HtmlReport("t");
        assertThrows(IllegalArgumentException.class, () -> report.table(List.of("a", "b"), List.of(List.of("1"))));
        assertThrows(IllegalArgumentException.class, () -> report.svg("<script>x</script>"));
    }

    @Test
    void recognisesNumbers() {
        for (String n : List.of("0", "1.5", "-2", "15,863,489", "1e-3", "12.5%", ".5")) assertTrue(HtmlReport.isNumber(n), n);
        for (String s : List.of("", "-", "v1024", "1,23", "int8", "1.2.3")) assertFalse(HtmlReport.isNumber(s), s);
    }
}
