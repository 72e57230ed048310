package headroom.pipelines.study;

import headroom.scoring.predict.FittedLaw;
import headroom.scoring.predict.LawTerms;
import headroom.scoring.predict.LeaveOneCapOut;
import headroom.scoring.predict.VocabLaw;
import headroom.pipelines.report.ChartSpec;
import headroom.pipelines.report.HtmlReport;
import headroom.pipelines.report.LabeledPoint;
import headroom.pipelines.report.ReferenceLine;
import headroom.pipelines.report.Series;
import headroom.pipelines.report.SvgChart;
import headroom.pipelines.study.StudyRows.RunRow;
import headroom.pipelines.sweep.SweepRows.CandidatePrediction;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code report/study.html}: the fitted curves over the measured runs, the validation, and the prediction at the target cap. */
final class StudyReport {

    /** The law's (cap, bpb) points for one vocabulary, at the candidates the budget model sizes at each cap. */
    @FunctionalInterface
    interface Curve {
        double[][] at(int vocabSize, FittedLaw law, double[] caps, double trainingTokens);
    }

    private StudyReport() {
    }

    static void write(Path file, StudyConf study, FittedLaw law, List<LawTerms.Effect> terms, double minEffectBpb, List<RunRow> runs, List<String> diverged, List<LeaveOneCapOut.Fold> folds,
                      StudyFit.Target target, Curve curve) throws IOException {
        HtmlReport page = new HtmlReport("Headroom: study, the law of bits per byte carried to the cap");
        VocabLaw l = law.law();
        page.paragraph(String.format(Locale.ROOT, "%d scored runs (%d candidates: %d caps x %d vocabularies x %d head mode(s), %d seed(s) each), "
                        + "post-roundtrip bits per byte under %s. Law (docs/PREDICTOR.md, after Tao et al. 2024 approach 3): bpb = E + "
                        + "(tokens per byte / ln 2) (A1 / Nnv^alpha + A2 / (V d)^alpha2 + B / D^alpha), Nnv and V d in millions, D in billions of tokens.",
                law.runs(), law.candidates(), study.caps().size(), study.vocabSizes().size(), study.headModes().size(), study.seeds().size(),
                study.precisionPlan().name()));
        if (!diverged.isEmpty()) {
            page.paragraph(diverged.size() + " run(s) diverged (a non-finite loss or gradient) and are left out of the fit: " + String.join(", ", diverged)
                    + ". Their pages are under study/report/.");
        }
        page.table(List.of("E (bpb)", "A1", "alpha1 = beta", "A2", "alpha2", "B", "RMSE (bpb)", "Huber delta", "bootstrap"),
                List.of(List.of(f4(l.floorBpb()), f4(l.a1()), f4(l.alpha1()), f4(l.a2()), f4(l.alpha2()), f4(l.b()), f4(law.rmse()),
                        f4(law.huberDelta()), law.bootstrap().size() + " replicates" + (law.bootstrapFailures() > 0 ? ", " + law.bootstrapFailures() + " failed" : ""))));

        List<List<String>> termRows = new ArrayList<>();
        for (LawTerms.Effect t : terms) {
            termRows.add(List.of(t.term(), t.variable(), f4(t.acrossRunsBpb()), f4(t.toTargetBpb()),
                    t.flat(minEffectBpb) ? "no effect in these runs" : ""));
        }
        page.table(List.of("term", "prices", "moves across the runs (bpb)", "moves further to the target (bpb)", ""), termRows);
        List<LawTerms.Effect> flat = terms.stream().filter(t -> t.flat(minEffectBpb)).toList();
        if (!flat.isEmpty()) {
            page.paragraph(String.format(Locale.ROOT, "Read the prediction with this in mind: the fitted %s term(s) move by less than %s bpb "
                            + "(the hypothesis' minimum effect) across these runs, so the runs show no effect of %s. The law's carry to the target cap "
                            + "then rests on its other terms and on tokens per byte alone: it says nothing about %s there.",
                    String.join(" and ", flat.stream().map(LawTerms.Effect::term).toList()), minEffectBpb,
                    String.join(" or ", flat.stream().map(LawTerms.Effect::variable).toList()),
                    String.join(" or ", flat.stream().map(LawTerms.Effect::variable).toList())));
        }

        page.heading("Fitted curves and measured runs");
        double lo = study.caps().get(0), hi = study.targetCapBytes();
        double[] caps = new double[13];
        for (int i = 0; i < caps.length; i++) caps[i] = Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * i / (caps.length - 1));
        double tokens = runs.stream().mapToDouble(RunRow::trainingTokens).average().orElseThrow();
        List<Series> series = new ArrayList<>();
        for (int v : study.vocabSizes()) {
            double[][] fitted = curve.at(v, law, caps, tokens);
            if (fitted.length > 0) series.add(new Series("law, V " + v, column(fitted, 0), column(fitted, 1)));
            List<double[]> means = new ArrayList<>();
            for (long cap : study.caps()) {
                double mean = runs.stream().filter(r -> r.vocabSize() == v && r.capBytes() == cap).mapToDouble(RunRow::bpb).average().orElse(Double.NaN);
                if (!Double.isNaN(mean)) means.add(new double[]{cap, mean});
            }
            if (!means.isEmpty()) series.add(new Series("measured, V " + v, column(means.toArray(double[][]::new), 0), column(means.toArray(double[][]::new), 1)));
        }
        page.svg(SvgChart.line(ChartSpec.of("Post-roundtrip bpb against the cap (measured: mean of seeds)", "artifact cap (bytes)", "bits per byte")
                .withLog2X().withReference(ReferenceLine.vertical("target", study.targetCapBytes())), series));
        page.paragraph(String.format(Locale.ROOT, "The law's curves use the candidate the budget model sizes at each cap and %,.0f training tokens "
                + "(the runs' mean); beyond the largest measured cap they are an extrapolation.", tokens));

        page.heading("Validation: leave one cap out");
        page.paragraph("For each cap, the law is fitted to the other caps' runs and predicts this cap's candidates (seeds averaged). "
                + "Spearman's rank correlation says whether it orders them as measured (the goal: at least 0.8); the mean absolute error "
                + "says how far its numbers are. Whatever they are, they are reported as measured.");
        List<List<String>> foldRows = new ArrayList<>();
        List<LabeledPoint> points = new ArrayList<>();
        for (LeaveOneCapOut.Fold f : folds) {
            foldRows.add(List.of(String.format(Locale.ROOT, "%,d", f.heldOutCap()), Integer.toString(f.points().size()), Integer.toString(f.trainingRuns()),
                    f3(f.spearman()), f4(f.meanAbsoluteError()), foldNote(f)));
            for (LeaveOneCapOut.Point p : f.points()) points.add(new LabeledPoint("V" + p.vocabSize() + " @" + shortBytes(f.heldOutCap()), p.measured(), p.predicted()));
        }
        page.table(List.of("held-out cap", "candidates", "runs fitted", "Spearman", "MAE (bpb)", "note"), foldRows);
        if (!points.isEmpty()) {
            page.svg(SvgChart.scatter(ChartSpec.of("Held-out candidates: predicted against measured bpb", "measured bpb (mean of seeds)",
                    "predicted bpb (law without that cap)"), points, false));
        }

        page.heading(String.format(Locale.ROOT, "Predicted at the target cap: %,d bytes", study.targetCapBytes()));
        CandidatePrediction best = target.first();
        StringBuilder verdict = new StringBuilder(String.format(Locale.ROOT, "Best: %s (V %d, %s head, d %d, U x L %d x %d) at %.4f bpb, 95%% interval %.4f - %.4f, "
                        + "for %,.0f training tokens.", best.candidate(), best.vocabSize(), best.headMode(), best.dModel(), target.best().uniqueBlocks(),
                target.best().loops(), best.predictedBpb(), best.predictedBpbLow(), best.predictedBpbHigh(), target.trainingTokens()));
        if (target.ranked().size() > 1) {
            CandidatePrediction second = target.ranked().get(1);
            verdict.append(String.format(Locale.ROOT, " Runner-up: %s at %.4f bpb, %s the best one's interval%s.", second.candidate(), second.predictedBpb(),
                    target.runnerUpWithinInterval() ? "inside" : "outside",
                    target.runnerUpWithinInterval() ? ": the law cannot tell the two apart, train both" : ""));
        }
        page.paragraph(verdict.toString());
        page.paragraph(String.format(Locale.ROOT, "Tao et al.'s optimal vocabulary for the same non-embedding size (%,d parameters, d %d), from their "
                        + "published approach-3 law, where the head costs no artifact bytes: %s at this run's FLOPs (6 N D), %s at their compute-optimal FLOPs.",
                target.best().parameters() - target.best().headParameters(), target.best().dModel(), vocab(target.taoVocabAtTheseFlops()),
                vocab(target.taoVocabComputeOptimal())));
        List<List<String>> rows = new ArrayList<>();
        for (CandidatePrediction p : target.ranked()) {
            rows.add(List.of(Integer.toString(p.rank()), p.candidate(), Integer.toString(p.vocabSize()), p.headMode(), Integer.toString(p.dModel()),
                    f4(p.predictedBpb()), f4(p.predictedBpbLow()) + " - " + f4(p.predictedBpbHigh())));
        }
        page.table(List.of("rank", "candidate", "V", "head", "d", "predicted bpb", "95% interval"), rows);

        page.heading("Runs");
        List<List<String>> runRows = new ArrayList<>();
        for (RunRow r : runs) {
            runRows.add(List.of(r.run(), String.format(Locale.ROOT, "%,d", r.capBytes()), Integer.toString(r.vocabSize()), Long.toString(r.seed()),
                    String.format(Locale.ROOT, "%,.0f", r.nonVocabParameters()), String.format(Locale.ROOT, "%,.0f", r.vocabParameters()),
                    f4(r.tokensPerByte()), String.format(Locale.ROOT, "%,d", r.artifactBytes()) + (r.artifactBytes() > r.capBytes() ? " (over the cap)" : ""), f4(r.bpb()), f4(r.fittedBpb())));
        }
        page.table(List.of("run", "cap", "V", "seed", "Nnv", "V d", "tok/B", "artifact bytes", "bpb", "law"), runRows);
        page.paragraph("The fitted law is in study/law.json; point headroom.sweep.predictor.law at it so the next sweep on this corpus ranks with it.");
        page.write(file);
    }

    /** Why a fold has no fit, or why its Spearman is undefined (a constant side has no ranking). */
    private static String foldNote(LeaveOneCapOut.Fold f) {
        if (!f.skipped().isEmpty() || !Double.isNaN(f.spearman()) || f.points().size() < 2) return f.skipped();
        boolean constantPrediction = f.points().stream().mapToDouble(LeaveOneCapOut.Point::predicted).distinct().count() == 1;
        return constantPrediction ? "Spearman undefined: the law fitted without this cap predicts the same bpb for all its candidates"
                : "Spearman undefined: the measured bpb of its candidates are equal";
    }

    private static double[] column(double[][] points, int i) {
        double[] out = new double[points.length];
        for (int j = 0; j < points.length; j++) out[j] = points[j][i];
        return out;
    }

    private static String vocab(double v) {
        return Double.isNaN(v) ? "no interior optimum" : String.format(Locale.ROOT, "V = %,.0f", v);
    }

    private static String shortBytes(long b) {
        return b >= 1_000_000 ? String.format(Locale.ROOT, "%.3gM", b / 1e6) : String.format(Locale.ROOT, "%.3gk", b / 1e3);
    }

    private static String f3(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String f4(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }
}
