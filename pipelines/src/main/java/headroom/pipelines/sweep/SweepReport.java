package headroom.pipelines.sweep;

import headroom.pipelines.report.ChartSpec;
import headroom.pipelines.report.HtmlReport;
import headroom.pipelines.report.LabeledPoint;
import headroom.pipelines.report.ReferenceLine;
import headroom.pipelines.report.Series;
import headroom.pipelines.report.SvgChart;
import headroom.pipelines.sweep.SweepRows.BudgetRow;
import headroom.pipelines.sweep.SweepRows.Candidate;
import headroom.pipelines.sweep.SweepRows.ReferenceMetrics;
import headroom.pipelines.sweep.SweepRows.VocabMetrics;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** {@code report/sweep.html}: the trade-off the sweep measured, as plots first and tables after. */
final class SweepReport {

    private SweepReport() {
    }

    static void write(Path file, List<VocabMetrics> metrics, List<ReferenceMetrics> references, List<BudgetRow> budget,
                      List<Candidate> candidates, SweepConf conf, Map<String, Object> summary) throws IOException {
        HtmlReport page = new HtmlReport("Headroom: vocabulary sweep");
        page.paragraph(String.format("One BPE run on %,d train documents (%,d distinct pre-tokens, %,d kept) gave %d vocabulary sizes. "
                        + "Train tokens per byte are exact (from the merge counts); val and held-out are measured by encoding with the "
                        + "exported tokenizer.json through DJL, with the byte audit passing on every document. Cap: %,d bytes.",
                (Long) summary.get("train_documents"), (Long) summary.get("distinct_pretokens"), (Long) summary.get("pretokens_kept"),
                metrics.size(), conf.budget().capBytes()));

        page.heading("Sequence length: tokens per byte against vocabulary size");
        ChartSpec tpbSpec = ChartSpec.of("Tokens per byte (lower = shorter sequences)", "vocabulary size", "tokens per byte").withLog2X();
        for (ReferenceMetrics r : references) {
            if (!Double.isNaN(r.valTokensPerByte())) tpbSpec = tpbSpec.withReference(ReferenceLine.horizontal(r.tokenizer() + " (val)", r.valTokensPerByte()));
        }
        List<Series> tpb = new ArrayList<>();
        tpb.add(series("train (exact)", metrics, VocabMetrics::trainTokensPerByte));
        tpb.add(series("val", metrics, VocabMetrics::valTokensPerByte));
        if (metrics.stream().noneMatch(m -> Double.isNaN(m.heldoutTokensPerByte()))) tpb.add(series("held-out", metrics, VocabMetrics::heldoutTokensPerByte));
        page.svg(SvgChart.line(tpbSpec, tpb));

        int width = conf.budget().widths().get(conf.budget().widths().size() / 2);
        page.heading("Head bytes and the trunk budget at d = " + width);
        List<Series> bytes = new ArrayList<>();
        for (String mode : budget.stream().map(BudgetRow::headMode).distinct().toList()) {
            List<BudgetRow> rows = budget.stream().filter(b -> b.headMode().equals(mode) && b.dModel() == width).toList();
            if (rows.isEmpty()) continue;
            bytes.add(new Series("head, " + mode, rows.stream().mapToDouble(BudgetRow::vocabSize).toArray(),
                    rows.stream().mapToDouble(b -> b.headBytes() / 1e6).toArray()));
            bytes.add(new Series("trunk budget, " + mode, rows.stream().mapToDouble(BudgetRow::vocabSize).toArray(),
                    rows.stream().mapToDouble(b -> b.trunkBudgetBytes() / 1e6).toArray()));
        }
        page.svg(SvgChart.line(ChartSpec.of("Estimated bytes (MB)", "vocabulary size", "MB").withLog2X()
                .withReference(ReferenceLine.horizontal("cap", conf.budget().capBytes() / 1e6)), bytes));

        page.heading("Frontier: head bytes against sequence length");
        List<LabeledPoint> points = new ArrayList<>();
        for (BudgetRow b : budget) {
            if (b.dModel() != width) continue;
            points.add(new LabeledPoint("V" + b.vocabSize() + " " + b.headMode(), b.headBytes() / 1e6,
                    metrics.stream().filter(m -> m.vocabSize() == b.vocabSize()).findFirst().orElseThrow().trainTokensPerByte()));
        }
        page.svg(SvgChart.scatter(ChartSpec.of("Head bytes (MB) against tokens per byte, d = " + width, "head bytes (MB)", "tokens per byte"),
                points, true));

        page.heading("Per vocabulary size");
        List<List<String>> rows = new ArrayList<>();
        for (VocabMetrics m : metrics) {
            rows.add(List.of(Integer.toString(m.vocabSize()), Integer.toString(m.merges()), fmt(m.trainTokensPerByte()),
                    fmt(m.valTokensPerByte()), fmt(m.heldoutTokensPerByte()), String.format("%,d", m.lastMergeCount()),
                    String.format("%,d", m.tokenizerBytes())));
        }
        page.table(List.of("V", "merges", "train tok/B", "val tok/B", "held-out tok/B", "last merge count", "tokenizer bytes"), rows);

        if (!references.isEmpty()) {
            page.heading("Reference tokenizers on the same text");
            List<List<String>> refRows = new ArrayList<>();
            for (ReferenceMetrics r : references) {
                refRows.add(List.of(r.tokenizer(), String.format("%,d", r.vocabSize()), fmt(r.valTokensPerByte()), fmt(r.heldoutTokensPerByte())));
            }
            page.table(List.of("tokenizer", "V", "val tok/B", "held-out tok/B"), refRows);
        }

        page.heading("Candidates: the shape that fills the cap, per vocabulary and head mode (and the hypothesis designs)");
        List<List<String>> candRows = new ArrayList<>();
        for (Candidate c : candidates) {
            candRows.add(List.of(c.name(), c.role().isEmpty() ? "" : c.role() + " " + c.pair(), Integer.toString(c.dModel()),
                    c.uniqueBlocks() + "x" + c.loops(), Integer.toString(c.mlpMult()), String.format("%.2fM", c.parameters() / 1e6),
                    String.format("%.2fM", c.headParameters() / 1e6), String.format("%.2fM", c.trunkParameters() / 1e6),
                    String.format("%,d", c.estimatedBytes()), String.format("%.1f%%", 100 * c.fill()), c.fills() ? "yes" : "no",
                    Integer.toString(c.seqLen()), String.format("%,.0f", c.contextBytes()), c.note()));
        }
        page.table(List.of("candidate", "design", "d", "U x L", "MLP x", "params", "head", "trunk", "est. bytes", "fill", "fills",
                "T", "context bytes", "note"), candRows);
        page.paragraph("Fill = estimated artifact bytes / cap, priced under the sizing plan " + summary.get("sizing_plan")
                + " at these bytes per parameter: " + summary.get("bytes_per_parameter")
                + ". Until scored artifacts measure them (headroom.sweep.budget.measured-bytes-per-param), they are the priors of "
                + "headroom.sweep.budget.bytes-per-param. A candidate fills when its estimate lands within "
                + Math.round(100 * conf.budget().fill().band()) + "% below the cap. Context: " + summary.get("context") + ".");
        page.write(file);
    }

    private static Series series(String name, List<VocabMetrics> metrics, ToDoubleFunction<VocabMetrics> y) {
        return new Series(name, metrics.stream().mapToDouble(VocabMetrics::vocabSize).toArray(), metrics.stream().mapToDouble(y).toArray());
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format("%.4f", v);
    }
}
