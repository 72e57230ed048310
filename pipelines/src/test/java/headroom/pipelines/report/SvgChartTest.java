package headroom.pipelines.report;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SvgChartTest {

    private static Document parse(String svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<String> texts(Document doc) {
        NodeList nodes = doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "text");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) out.add(nodes.item(i).getTextContent());
        return out;
    }

    @Test
    void lineChartIsWellFormedAndNamesEverySeries() throws Exception {
        ChartSpec spec = ChartSpec.of("tokens per byte vs vocab", "vocabulary size", "tokens/byte").withLog2X()
                .withReference(ReferenceLine.horizontal("target <0.3> & more", 0.3));
        String svg = SvgChart.line(spec, List.of(
                new Series("train", new double[]{256, 1024, 4096, 16384}, new double[]{1.0, 0.45, 0.31, 0.26}),
                new Series("val \"held out\"", new double[]{256, 1024, 4096, 16384}, new double[]{1.0, 0.47, 0.33, 0.29})));
        Document doc = parse(svg);
        assertEquals("svg", doc.getDocumentElement().getLocalName());
        List<String> texts = texts(doc);
        assertTrue(texts.contains("train") && texts.contains("val \"held out\"") && texts.contains("target <0.3> & more"), texts.toString());
        assertTrue(texts.contains("256") && texts.contains("16384"), "log2 ticks: " + texts);
        assertTrue(texts.contains("vocabulary size (log2 scale)"), texts.toString());
        assertEquals(2, doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "polyline").getLength());
    }

    @Test
    void labelsOfPointsThatNearlyCoincideDoNotOverlap() throws Exception {
        // The demo's Pareto plot: three candidates, three seeds each, the seeds within a pixel of each other.
        List<LabeledPoint> points = new ArrayList<>();
        double[][] candidates = {{0.98e6, 2.41}, {0.99e6, 2.38}, {0.62e6, 2.47}};
        for (int c = 0; c < candidates.length; c++) {
            for (int seed = 0; seed < 3; seed++) {
                points.add(new LabeledPoint("#" + (c * 3 + seed + 1) + " v" + (512 << c) + " p1", candidates[c][0] + seed * 900, candidates[c][1] + seed * 0.0004));
            }
        }
        Document doc = parse(SvgChart.scatter(ChartSpec.of("Pareto", "artifact bytes (MB)", "val bpb"), points, true));
        NodeList nodes = doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "text");
        List<LabelPlacer.Box> boxes = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            org.w3c.dom.Element t = (org.w3c.dom.Element) nodes.item(i);
            if (!t.getTextContent().startsWith("#")) continue;
            LabelPlacer.Placed at = new LabelPlacer.Placed(Double.parseDouble(t.getAttribute("x")), Double.parseDouble(t.getAttribute("y")),
                    t.getAttribute("text-anchor").equals("end"), false);
            boxes.add(LabelPlacer.box(at, t.getTextContent().length() * LabelPlacer.CHAR_WIDTH));
        }
        assertEquals(9, boxes.size());
        for (int i = 0; i < boxes.size(); i++) {
            for (int j = i + 1; j < boxes.size(); j++) {
                assertTrue(!boxes.get(i).overlaps(boxes.get(j)), "labels " + i + " and " + j + " overlap: " + boxes.get(i) + " " + boxes.get(j));
            }
        }
    }

    @Test
    void scatterHighlightsTheParetoFrontier() throws Exception {
        List<LabeledPoint> points = List.of(
                new LabeledPoint("v1024-d512", 15.8e6, 1.22),
                new LabeledPoint("v8192-d384", 15.1e6, 1.25),
                new LabeledPoint("v4096-d448", 14.0e6, 1.30),
                new LabeledPoint("v512-d640", 15.5e6, 1.31));
        assertEquals(List.of("v4096-d448", "v8192-d384", "v1024-d512"), SvgChart.frontier(points).stream().map(LabeledPoint::label).toList());
        String svg = SvgChart.scatter(ChartSpec.of("Pareto", "artifact bytes", "bpb").withReference(ReferenceLine.vertical("cap 16M", 16e6)), points, true);
        List<String> texts = texts(parse(svg));
        assertTrue(texts.containsAll(List.of("v1024-d512", "v512-d640", "Pareto frontier", "cap 16M", "16M")), texts.toString());
    }

    @Test
    void stackedBarsShowEveryPartAndTheCap() throws Exception {
        List<BarStack> parts = List.of(
                new BarStack("embedding/head", new double[]{4e6, 1e6}),
                new BarStack("trunk", new double[]{11e6, 14.5e6}),
                new BarStack("tokenizer", new double[]{5e4, 6e3}));
        String svg = SvgChart.stackedBars(ChartSpec.of("bytes by part", "candidate", "bytes").withReference(ReferenceLine.horizontal("cap", 16e6)),
                List.of("v8192", "v1024"), parts);
        Document doc = parse(svg);
        List<String> texts = texts(doc);
        assertTrue(texts.containsAll(List.of("embedding/head", "trunk", "tokenizer", "cap", "v8192", "v1024")), texts.toString());
        assertEquals(1 + 3 * 2 + 3, doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "rect").getLength(), "background + bars + legend");
        assertThrows(IllegalArgumentException.class, () -> SvgChart.stackedBars(ChartSpec.of("t", "x", "y"), List.of("a", "b", "c"), parts));
    }

    @Test
    void ticksAreNice() {
        assertEquals(List.of(0.0, 2e6, 4e6, 6e6, 8e6, 10e6, 12e6, 14e6, 16e6), Axis.linear(0, 15.9e6, 0, 100).ticks());
        assertEquals(List.of(1.2, 1.22, 1.24, 1.26, 1.28, 1.3, 1.32, 1.34), Axis.linear(1.21, 1.33, 0, 100).ticks());
        assertEquals("16M", Axis.label(16e6));
        assertEquals("15k", Axis.label(15e3));
        assertEquals("1024", Axis.label(1024));
        assertEquals("0.25", Axis.label(0.25));
    }
}
