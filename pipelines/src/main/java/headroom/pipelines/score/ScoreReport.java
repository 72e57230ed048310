package headroom.pipelines.score;

import headroom.pipelines.run.RunLayout;
import headroom.model.CandidateNames;
import headroom.scoring.ScoreRows;
import headroom.pipelines.report.BarStack;
import headroom.pipelines.report.ChartSpec;
import headroom.pipelines.report.HtmlReport;
import headroom.pipelines.report.LabeledPoint;
import headroom.pipelines.report.ReferenceLine;
import headroom.pipelines.report.Series;
import headroom.pipelines.report.SvgChart;
import headroom.pipelines.train.LossCurves;
import headroom.model.train.TrainLog;
import headroom.scoring.ScoreRows.CandidateSummaryRow;
import headroom.scoring.ScoreRows.LeaderboardRow;
import headroom.scoring.ScoreRows.RefinementRow;
import headroom.scoring.baseline.NgramFloor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;

/** {@code report/score.html}: the Pareto plot, bytes by part, refinement, loss curves, then the leaderboard. */
final class ScoreReport {

    private ScoreReport() {
    }

    /** The n-gram floor as measured, and the margin a model must clear it by (headroom.score.ngram.clear-margin). */
    record Floor(NgramFloor.Result result, double clearMargin) {
        String label() {
            return NgramBaseline.label(result);
        }

        boolean cleared(LeaderboardRow r) {
            return r.ngramMargin() >= clearMargin;
        }
    }

    /**
     * @param rows  the leaderboard, best first; {@code plans} numbers each plan for short labels (p1, p2, ...)
     * @param floor the n-gram floor; null when headroom.score.ngram.enabled is false
     */
    static void write(Path file, List<LeaderboardRow> rows, List<CandidateSummaryRow> byCandidate, List<RefinementRow> refinements,
                      Map<String, Double> baselines, long capBytes, List<String> plans, List<TrainedModel> models,
                      List<TrainedModel.Diverged> diverged, Floor floor) throws IOException {
        HtmlReport page = new HtmlReport("Headroom: scored artifacts");
        if (!diverged.isEmpty()) {
            page.heading("Diverged in training (not scored)");
            page.table(List.of("candidate", "what happened"), diverged.stream().map(d -> List.of(d.candidate(), d.message())).toList());
        }
        long invalid = rows.stream().filter(r -> !r.valid()).count();
        page.paragraph(String.format(Locale.ROOT, "%d artifacts (%d model(s) x %d precision plan(s)); cap %,d bytes; %d over the cap, marked INVALID. "
                        + "The score is the post-roundtrip bits per byte on the whole val split: each artifact was read back from disk, "
                        + "dequantized and loaded into a fresh model, with the byte audit passing.",
                rows.size(), models.size(), plans.size(), capBytes, invalid));
        for (int i = 0; i < plans.size(); i++) page.paragraph("p" + (i + 1) + " = " + plans.get(i));

        page.heading("Pareto: artifact bytes against post-roundtrip bits per byte");
        ChartSpec pareto = ChartSpec.of("Artifact size against bits per byte (lower-left is better)", "artifact bytes (MB)", "val bpb")
                .withReference(ReferenceLine.vertical("cap", capBytes / 1e6));
        for (Map.Entry<String, Double> b : baselines.entrySet()) pareto = pareto.withReference(ReferenceLine.horizontal(b.getKey(), b.getValue()));
        if (floor != null) pareto = pareto.withReference(ReferenceLine.horizontal(floor.label(), floor.result().valBpb()));
        List<LabeledPoint> points = new ArrayList<>();
        for (LeaderboardRow r : rows) points.add(new LabeledPoint(label(r, rows, plans), r.artifactBytes() / 1e6, r.bpbPost()));
        page.svg(SvgChart.scatter(pareto, points, true));
        if (rows.stream().mapToLong(LeaderboardRow::artifactBytes).max().orElseThrow() < capBytes / 2) {
            // far under the cap, the reference lines squeeze every artifact into one corner: the same points at their own scale
            ChartSpec zoomed = ChartSpec.of("The same, zoomed to the artifacts", "artifact bytes (MB)", "val bpb");
            page.svg(SvgChart.scatter(floor == null ? zoomed : zoomed.withReference(ReferenceLine.horizontal(floor.label(), floor.result().valBpb())),
                    points, true));
        }
        if (floor != null) floorParagraphs(page, rows, floor);

        page.heading("Bytes by part");
        List<String> categories = rows.stream().map(r -> label(r, rows, plans)).toList();
        page.svg(SvgChart.stackedBars(ChartSpec.of("Artifact bytes by part (MB)", "artifact", "MB")
                        .withReference(ReferenceLine.horizontal("cap", capBytes / 1e6)), categories,
                List.of(stack("embedding/head", rows, LeaderboardRow::embeddingHeadBytes), stack("trunk", rows, LeaderboardRow::trunkBytes),
                        stack("norms/conditioning", rows, LeaderboardRow::normsBytes), stack("tokenizer", rows, LeaderboardRow::tokenizerBytes),
                        stack("overhead", rows, LeaderboardRow::overheadBytes))));

        if (refinements.stream().anyMatch(r -> !r.trained())) {
            page.heading("Evaluation-time refinement: bits per byte at L' loops");
            List<Series> series = new ArrayList<>();
            for (LeaderboardRow r : rows) {
                List<RefinementRow> mine = refinements.stream().filter(x -> x.model().equals(r.model()) && x.plan().equals(r.plan())).toList();
                series.add(new Series(label(r, rows, plans), mine.stream().mapToDouble(RefinementRow::loops).toArray(),
                        mine.stream().mapToDouble(RefinementRow::bpb).toArray()));
            }
            page.svg(SvgChart.line(ChartSpec.of("Post-roundtrip bpb against loops L'", "loops L'", "val bpb"), series));
        }

        AllocationReport.write(page, rows);

        page.heading("Training curves");
        trainingCurves(page, models);

        page.heading("Leaderboard by candidate: post-roundtrip bits per byte over seeds");
        List<List<String>> summary = new ArrayList<>();
        for (CandidateSummaryRow c : byCandidate) {
            summary.add(List.of(c.candidate(), "p" + (plans.indexOf(c.plan()) + 1), Integer.toString(c.n()), f4(c.bpbPostMean()), f4(c.bpbPostStd()),
                    f4(c.heldoutBpbMean()), f4(c.heldoutBpbStd()), String.format(Locale.ROOT, "%,.0f", c.artifactBytesMean()),
                    String.format(Locale.ROOT, "%.1f%%", 100 * c.fillMean()), c.allValid() ? "valid" : "INVALID", Integer.toString(c.seqLen()),
                    c.protocol()));
        }
        page.table(List.of("candidate", "plan", "n", "bpb mean", "bpb std", "held-out mean", "held-out std", "bytes mean", "fill", "status",
                "T", "budget"), summary);

        page.heading("Leaderboard, one row per seed (the plots label each artifact by its rank here)");
        List<List<String>> table = new ArrayList<>();
        int rank = 1;
        for (LeaderboardRow r : rows) {
            table.add(List.of(Integer.toString(rank++), r.model(), planLabel(r, plans), r.valid() ? "valid" : "INVALID (over cap)",
                    String.format(Locale.ROOT, "%,d", r.artifactBytes()), String.format(Locale.ROOT, "%.1f%%", 100 * r.fill())
                            + (r.sizingPlan() && r.meantToFill() && !r.inBand() ? " OUT OF BAND" : ""), f4(r.bpbPost()), f4(r.bpbPre()), String.format(Locale.ROOT, "%+.4f", r.gap()),
                    f4(r.heldoutBpb()), f4(r.tokensPerByte()), String.format(Locale.ROOT, "%,d", r.parameters()), r.codec(),
                    Double.isNaN(r.trainSeconds()) ? "-" : String.format(Locale.ROOT, "%.0f", r.trainSeconds()), Integer.toString(r.seqLen()),
                    String.format(Locale.ROOT, "%,d", r.trainBytesSeen()), r.protocol(), margin(r.ngramMargin(), floor, r),
                    margin(r.heldoutNgramMargin(), null, r), tailMove(r), Double.isNaN(r.lr()) ? "-" : String.format(Locale.ROOT, "%.1e", r.lr())));
        }
        page.paragraph("Fill = artifact file bytes / cap. OUT OF BAND: under the plan the sweep sized the candidate for, the file lands "
                + "outside the fill band below the cap; recalibrate with headroom.sweep.budget.measured-bytes-per-param.");
        page.paragraph("Tail move: the change of the model's val bpb over the last tail-fraction of its training steps (negative: still "
                + "falling; headroom.train.convergence). STILL LEARNING: it moved more than max-tail-move-bpb, so a comparison with it "
                + "measures optimisation speed, not what its bytes buy.");
        if (floor != null) {
            page.paragraph(String.format(Locale.ROOT, "n-gram - bpb: the n-gram floor's bits per byte less the artifact's, on val and on the "
                    + "out-of-domain set; NOT CLEARED below %.2f.", floor.clearMargin()));
        }
        page.table(List.of("#", "model", "plan", "status", "bytes", "fill", "bpb", "bpb pre", "gap", "held-out bpb", "tok/B", "params", "codec",
                "train s", "T", "train bytes", "budget", "n-gram - bpb", "held-out n-gram - bpb", "tail move", "lr"), table);
        if (!baselines.isEmpty() || floor != null) {
            page.heading("Baselines on the same val bytes");
            List<List<String>> rowsOut = new ArrayList<>(baselines.entrySet().stream().map(e -> List.of(e.getKey(), f4(e.getValue()), "-")).toList());
            if (floor != null) rowsOut.add(List.of(floor.label() + ", order chosen on the train holdout", f4(floor.result().valBpb()),
                    f4(floor.result().heldoutBpb())));
            page.table(List.of("baseline", "val bits per byte", "out-of-domain bits per byte"), rowsOut);
        }
        page.link("The hypothesis, criterion by criterion", RunLayout.RELATIVE.hypothesisReport().getFileName().toString());
        page.write(file);
    }

    /** What the floor is and which artifacts do not clear it: those have not learned enough for their architecture to matter. */
    private static void floorParagraphs(HtmlReport page, List<LeaderboardRow> rows, Floor floor) {
        page.heading("The n-gram floor");
        page.paragraph(NgramBaseline.describe(floor.result()));
        List<String> below = rows.stream().filter(r -> !floor.cleared(r)).map(r -> "#" + (rows.indexOf(r) + 1) + " " + r.model()).toList();
        page.paragraph(below.isEmpty()
                ? String.format(Locale.ROOT, "Every artifact is at least %.2f bpb below the floor on val.", floor.clearMargin())
                : String.format(Locale.ROOT, "%d of %d artifacts are not at least %.2f bpb below the floor on val: a model that does not clear "
                        + "the floor by a clear margin has not learned enough for its architecture to matter (%s).", below.size(), rows.size(),
                floor.clearMargin(), String.join(", ", below)));
    }

    /** {@code -0.0042}: the fall of val bpb over the convergence tail, flagged STILL LEARNING; "-" without a train log. */
    private static String tailMove(LeaderboardRow r) {
        if (Double.isNaN(r.tailMoveBpb())) return r.stillLearning() ? "STILL LEARNING" : "-";
        return String.format(Locale.ROOT, "%+.4f", -r.tailMoveBpb()) + (r.stillLearning() ? " STILL LEARNING" : "");
    }

    /** {@code +0.1234}; flagged when a floor is given and the row does not clear it; "-" for NaN. */
    private static String margin(double margin, Floor floor, LeaderboardRow r) {
        if (Double.isNaN(margin)) return "-";
        return String.format(Locale.ROOT, "%+.4f", margin) + (floor != null && !floor.cleared(r) ? " NOT CLEARED" : "");
    }

    /**
     * One chart per candidate with all its seeds (val solid, train dashed, both in bits per byte); a model without
     * a train log or run.json (trained by hand) keeps its own curve.
     */
    private static void trainingCurves(HtmlReport page, List<TrainedModel> models) throws IOException {
        Map<String, List<TrainedModel>> byCandidate = new java.util.LinkedHashMap<>();
        for (TrainedModel m : models) byCandidate.computeIfAbsent(m.candidate(), c -> new ArrayList<>()).add(m);
        for (Map.Entry<String, List<TrainedModel>> e : byCandidate.entrySet()) {
            List<TrainedModel> seeds = e.getValue();
            if (seeds.stream().allMatch(m -> Files.isRegularFile(m.dir().resolve(TrainLog.FILE)) && m.run().trainTokensPerByte() > 0)) {
                page.svg(LossCurves.seedsChart(e.getKey(), seeds.stream()
                        .map(m -> new LossCurves.Seed(m.run().seed(), m.dir(), m.run().trainTokensPerByte())).toList()));
            } else {
                for (TrainedModel m : seeds) lossCurve(page, m);
            }
        }
    }

    /** The model's own loss.svg when the train stage drew one, else the curve from train_log.csv. */
    private static void lossCurve(HtmlReport page, TrainedModel m) throws IOException {
        Path svg = m.dir().resolve(TrainedModel.LOSS_PLOT);
        if (Files.isRegularFile(svg)) {
            String markup = Files.readString(svg).replaceFirst("^\\s*<\\?xml[^>]*\\?>", "").strip();
            if (markup.startsWith("<svg") && markup.endsWith("</svg>")) {
                page.svg(markup);
                return;
            }
        }
        List<double[]> points = m.trainLoss();
        if (points.isEmpty()) {
            page.paragraph(m.name() + ": no loss.svg or train_log.csv in " + m.dir());
            return;
        }
        page.svg(SvgChart.line(ChartSpec.of(m.name() + ": training loss", "step", "train loss (nats/token)"),
                List.of(new Series("train loss", points.stream().mapToDouble(p -> p[0]).toArray(), points.stream().mapToDouble(p -> p[1]).toArray()))));
    }

    /** Short enough for a bar and unique: leaderboard rank, vocabulary, plan ({@code #2 v1024 p1}), INVALID over the cap. */
    static String label(LeaderboardRow r, List<LeaderboardRow> rows, List<String> plans) {
        return "#" + (rows.indexOf(r) + 1) + " v" + r.vocabSize() + " " + planLabel(r, plans) + (r.valid() ? "" : " INVALID");
    }

    /** p1, p2, ... for the conf's plans; {@code alloc-60pct} for an allocated plan (its own per-tensor plan is in the leaderboard files). */
    static String planLabel(LeaderboardRow r, List<String> plans) {
        int index = plans.indexOf(r.plan());
        if (index >= 0) return "p" + (index + 1);
        return CandidateNames.parseArtifact(r.artifact()).filter(CandidateNames.Artifact::allocated).map(CandidateNames.Artifact::plan)
                .orElse(r.plan());
    }

    private static BarStack stack(String part, List<LeaderboardRow> rows, ToLongFunction<LeaderboardRow> bytes) {
        return new BarStack(part, rows.stream().mapToDouble(r -> bytes.applyAsLong(r) / 1e6).toArray());
    }

    static String f4(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }
}
