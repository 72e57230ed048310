package headroom.pipelines.score;

import headroom.model.CandidateNames;
import headroom.scoring.ScoreRows;
import headroom.artifact.quant.PrecisionPlan;
import headroom.artifact.quant.QuantFormat;
import headroom.pipelines.report.ChartSpec;
import headroom.pipelines.report.HtmlReport;
import headroom.pipelines.report.ReferenceLine;
import headroom.pipelines.report.Series;
import headroom.pipelines.report.SvgChart;
import headroom.scoring.ScoreRows.LeaderboardRow;
import headroom.core.TensorClass;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The byte allocator's evidence in report/score.html: per model, artifact bytes against post-roundtrip
 * bpb for the allocated plans and for the uniform plans (one integer width on every matrix), the float
 * model as a reference line; and a table of the gap to the float model at matched bytes, the allocator's
 * bpb interpolated along its curve at each uniform plan's size.
 */
final class AllocationReport {

    private AllocationReport() {
    }

    static boolean isAllocated(LeaderboardRow r) {
        return CandidateNames.parseArtifact(r.artifact()).map(CandidateNames.Artifact::allocated).orElse(false);
    }

    /** The integer width when emb, attn and mlp share it and no tensor has its own precision; empty otherwise. */
    static Optional<QuantFormat> uniformFormat(LeaderboardRow r) {
        if (isAllocated(r)) return Optional.empty();
        PrecisionPlan plan = PrecisionPlan.parse(r.plan());
        QuantFormat f = plan.of(TensorClass.EMBEDDING_HEAD).format();
        boolean uniform = plan.byTensor().isEmpty() && f.isInteger() && plan.of(TensorClass.ATTENTION).format() == f && plan.of(TensorClass.MLP).format() == f;
        return uniform ? Optional.of(f) : Optional.empty();
    }

    static void write(HtmlReport page, List<LeaderboardRow> rows) {
        if (rows.stream().noneMatch(AllocationReport::isAllocated)) return;
        page.heading("Byte allocation: artifact bytes against bits per byte, per model");
        page.paragraph("Allocated plans choose int8..int4, a clip of k x row std and fp16 outliers per tensor, by greedy marginal gain of "
                + "estimated loss (diagonal Fisher on a train-split sample) per compressed byte; each artifact is verified at or under its "
                + "target. Uniform plans give every matrix one width. The gap is post-roundtrip bpb minus the float model's (trained weights).");
        List<List<String>> table = new ArrayList<>();
        for (String candidate : rows.stream().map(LeaderboardRow::candidate).distinct().sorted().toList()) {
            List<LeaderboardRow> mine = rows.stream().filter(r -> r.candidate().equals(candidate)).toList();
            List<LeaderboardRow> allocated = sortedByBytes(mine.stream().filter(AllocationReport::isAllocated).toList());
            List<LeaderboardRow> uniform = sortedByBytes(mine.stream().filter(r -> uniformFormat(r).isPresent()).toList());
            if (allocated.isEmpty()) continue;
            double floatBpb = mine.get(0).bpbPre();
            List<Series> series = new ArrayList<>();
            series.add(series("allocator", allocated));
            if (!uniform.isEmpty()) series.add(series("uniform " + String.join("/", uniform.stream().map(r -> uniformFormat(r).orElseThrow().specName()).toList()), uniform));
            page.svg(SvgChart.line(ChartSpec.of(candidate + ": artifact bytes against val bpb (lower-left is better)", "artifact bytes (MB)", "val bpb")
                    .withReference(ReferenceLine.horizontal("float model", floatBpb)), series));
            for (LeaderboardRow u : uniform) {
                double at = interpolate(allocated, u.artifactBytes());
                table.add(List.of(candidate, uniformFormat(u).orElseThrow().specName(), String.format(Locale.ROOT, "%,d", u.artifactBytes()),
                        gap(u.bpbPost() - floatBpb), Double.isNaN(at) ? "- (outside the allocator's range)" : gap(at - floatBpb)));
            }
            for (LeaderboardRow a : allocated) {
                table.add(List.of(candidate, ScoreReport.planLabel(a, List.of()), String.format(Locale.ROOT, "%,d", a.artifactBytes()), "", gap(a.bpbPost() - floatBpb)));
            }
        }
        page.table(List.of("model", "plan", "artifact bytes", "uniform plan's gap to float", "allocator's gap at these bytes"), table);
    }

    /** The allocator's bpb at {@code bytes}, linear between its two neighbouring points; NaN outside its range. */
    static double interpolate(List<LeaderboardRow> curve, long bytes) {
        for (int i = 0; i < curve.size(); i++) {
            LeaderboardRow r = curve.get(i);
            if (r.artifactBytes() == bytes) return r.bpbPost();
            if (i > 0 && curve.get(i - 1).artifactBytes() < bytes && bytes < r.artifactBytes()) {
                LeaderboardRow l = curve.get(i - 1);
                double t = (double) (bytes - l.artifactBytes()) / (r.artifactBytes() - l.artifactBytes());
                return l.bpbPost() + t * (r.bpbPost() - l.bpbPost());
            }
        }
        return Double.NaN;
    }

    private static List<LeaderboardRow> sortedByBytes(List<LeaderboardRow> rows) {
        return rows.stream().sorted(Comparator.comparingLong(LeaderboardRow::artifactBytes)).toList();
    }

    private static Series series(String name, List<LeaderboardRow> rows) {
        return new Series(name, rows.stream().mapToDouble(r -> r.artifactBytes() / 1e6).toArray(), rows.stream().mapToDouble(LeaderboardRow::bpbPost).toArray());
    }

    private static String gap(double g) {
        return String.format(Locale.ROOT, "%+.4f", g);
    }
}
