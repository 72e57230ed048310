package headroom.pipelines.study;

import headroom.scoring.predict.FittedLaw;
import headroom.scoring.predict.LawTerms;
import headroom.scoring.predict.HeldOutCaps;
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

    /** The law's (cap, bpb) points for one vocabulary, at the candidates the study sizes at each cap and the budget every cap trained at. */
    @FunctionalInterface
    interface Curve {
        double[][] at(int vocabSize, FittedLaw law, double[] caps);
    }

    private StudyReport() {
    }

    static void write(Path file, StudyConf study, FittedLaw law, List<LawTerms.Effect> terms, double minEffectBpb, List<RunRow> runs, List<String> diverged, List<HeldOutCaps.Fold> folds,
                      StudyFit.Target target, String targetBudget, Curve curve) throws IOException {
        HtmlReport page = new HtmlReport("Headroom: study, the law of bits per byte carried to the cap");
        VocabLaw l = law.law();
        page.paragraph(String.format(Locale.ROOT, "%d scored runs (%d candidates: %d caps x %d vocabularies x %d head mode(s), at training budgets %s "
                        + "(the first at every cap, all at caps %s), %d seed(s) each), post-roundtrip bits per byte under %s. Within a vocabulary only the "
                        + "width d changes from cap to cap. Law (docs/PREDICTOR.md, after Tao et al. 2024 approach 3, trunk and data exponents apart): "
                        + "bpb = E + (tokens per byte / ln 2) (A1 / Nnv^alpha1 + A2 / (V d)^alpha2 + B / D^beta), Nnv and V d in millions, D in billions of tokens.",
                law.runs(), law.candidates(), study.caps().size(), study.vocabSizes().size(), study.headModes().size(), study.trainBudgets(),
                study.moreBudgetsAtCaps(), study.seeds().size(), study.precisionPlan().name()));
        List<String> stillLearning = runs.stream().filter(RunRow::stillLearning).map(RunRow::run).toList();
        page.paragraph(stillLearning.isEmpty()
                ? "Every run had converged by the end of its budget (val bpb moved less than train.convergence allows over its last 10% of steps)."
                : String.format(Locale.ROOT, "%d of %d runs were still learning at the end of their budget (val bpb moved more than train.convergence "
                        + "allows over the last 10%% of steps): %s. Their bpb measures how far training got as much as what the model can reach, "
                        + "so the law's trunk term fitted to them is partly an optimisation-speed term.", stillLearning.size(), runs.size(),
                String.join(", ", stillLearning)));
        if (!diverged.isEmpty()) {
            page.paragraph(diverged.size() + " run(s) diverged (a non-finite loss or gradient) and are left out of the fit: " + String.join(", ", diverged)
                    + ". Their pages are under study/report/.");
        }
        page.table(List.of("", "E (bpb)", "A1", "alpha1", "A2", "alpha2", "B", "beta", "RMSE (bpb)", "Huber delta", "bootstrap"),
                List.of(List.of("fit", f4(l.floorBpb()), f4(l.a1()), f4(l.alpha1()), f4(l.a2()), f4(l.alpha2()), f4(l.b()), f4(l.beta()), f4(law.rmse()),
                        f4(law.huberDelta()), law.bootstrap().size() + " replicates" + (law.bootstrapFailures() > 0 ? ", " + law.bootstrapFailures() + " failed" : "")),
                        List.of("90% interval", range(law.interval(VocabLaw::floorBpb, 0.9)), range(law.interval(VocabLaw::a1, 0.9)),
                                range(law.interval(VocabLaw::alpha1, 0.9)), range(law.interval(VocabLaw::a2, 0.9)), range(law.interval(VocabLaw::alpha2, 0.9)),
                                range(law.interval(VocabLaw::b, 0.9)), range(law.interval(VocabLaw::beta, 0.9)), "", "", "runs resampled within caps")));

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
        long firstBudget = study.trainBudgets().get(0);
        List<Series> series = new ArrayList<>();
        for (int v : study.vocabSizes()) {
            double[][] fitted = curve.at(v, law, caps);
            if (fitted.length > 0) series.add(new Series("law, V " + v, column(fitted, 0), column(fitted, 1)));
            List<double[]> means = new ArrayList<>();
            for (long cap : study.caps()) {
                double mean = runs.stream().filter(r -> r.vocabSize() == v && r.capBytes() == cap && r.budget() == firstBudget).mapToDouble(RunRow::bpb)
                        .average().orElse(Double.NaN);
                if (!Double.isNaN(mean)) means.add(new double[]{cap, mean});
            }
            if (!means.isEmpty()) series.add(new Series("measured, V " + v, column(means.toArray(double[][]::new), 0), column(means.toArray(double[][]::new), 1)));
        }
        page.svg(SvgChart.line(ChartSpec.of("Post-roundtrip bpb against the cap (measured: mean of seeds)", "artifact cap (bytes)", "bits per byte")
                .withLog2X().withReference(ReferenceLine.vertical("target", study.targetCapBytes())), series));
        page.paragraph(String.format(Locale.ROOT, "The law's curves and the measured points are at the budget every cap trained at (%,d), each "
                + "vocabulary at the tokens it buys it; the law's curves use the candidate the study sizes at each cap. Beyond the largest measured "
                + "cap they are an extrapolation.", firstBudget));

        page.heading("Validation as the law is used: forward to the largest cap, then leave one cap out");
        page.paragraph("Forward extrapolation is the main test: the law is fitted to the smaller caps' runs only and predicts every candidate "
                + "of the largest cap, held out entirely. Leave-one-cap-out is a second view. Each fold's law stands beside two guesses that fit "
                + "nothing, scored the same way on the same points: 'larger V is better' (an order only) and 'each V's mean over the other caps' "
                + "(the fold's training caps). Order: the share of the held-out cap's candidate pairs ordered as measured (a tie counts one half), "
                + "with the number of pairs. Spearman only where a fold has at least " + HeldOutCaps.MIN_SPEARMAN_POINTS + " candidates. "
                + "The goal on the forward fold: order at least " + HeldOutCaps.GOAL_ORDER_ACCURACY + " over at least " + HeldOutCaps.GOAL_PAIRS
                + " pairs and an MAE below the V's-mean guess.");
        HeldOutCaps.Fold forward = folds.stream().filter(f -> f.kind().equals(HeldOutCaps.FORWARD)).findFirst().orElseThrow();
        page.paragraph(forwardVerdict(forward));
        List<List<String>> foldRows = new ArrayList<>();
        List<LabeledPoint> points = new ArrayList<>();
        for (HeldOutCaps.Fold f : folds) {
            foldRows.add(List.of(f.kind(), String.format(Locale.ROOT, "%,d", f.heldOutCap()), Integer.toString(f.points().size()),
                    Integer.toString(f.trainingRuns()), Integer.toString(f.law().pairs()), f3(f.law().orderAccuracy()), f3(f.largerV().orderAccuracy()),
                    f3(f.meanOverCaps().orderAccuracy()), f3(f.law().spearman()), f3(f.largerV().spearman()), f4(f.law().meanAbsoluteError()),
                    f4(f.meanOverCaps().meanAbsoluteError()), f.skipped().isEmpty() ? (f.shortfalls().isEmpty() ? "beats both guesses" : "does not beat a guess") : f.skipped()));
            if (f.kind().equals(HeldOutCaps.FORWARD)) {
                for (HeldOutCaps.Point p : f.points()) points.add(new LabeledPoint(p.candidate().replaceFirst("-tied-d\\d+-\\d+x\\d+-m\\d+", ""), p.measured(), p.predicted()));
            }
        }
        page.table(List.of("fold", "held-out cap", "candidates", "runs fitted", "pairs", "order: law", "order: larger V", "order: V's mean",
                "Spearman: law", "Spearman: larger V", "MAE: law (bpb)", "MAE: V's mean (bpb)", ""), foldRows);
        if (!points.isEmpty()) {
            page.svg(SvgChart.scatter(ChartSpec.of("Forward extrapolation: the largest cap's candidates, predicted against measured bpb",
                    "measured bpb (mean of seeds)", "predicted bpb (law fitted to the smaller caps)"), points, false));
        }

        page.heading(String.format(Locale.ROOT, "Predicted at the target cap: %,d bytes", study.targetCapBytes()));
        CandidatePrediction best = target.first();
        StringBuilder verdict = new StringBuilder(String.format(Locale.ROOT, "Each candidate is carried at the tokens the training protocol (%s) buys "
                        + "its vocabulary. Best: %s (V %d, %s head, d %d, U x L %d x %d) at %.4f bpb, 95%% interval %.4f - %.4f, for %,.0f training tokens.",
                targetBudget, best.candidate(), best.vocabSize(), best.headMode(), best.dModel(), target.best().uniqueBlocks(),
                target.best().loops(), best.predictedBpb(), best.predictedBpbLow(), best.predictedBpbHigh(), target.trainingTokens()));
        if (!forward.shortfalls().isEmpty()) {
            verdict.append(" The law did not beat the guesses that fit nothing on the forward fold (above): read this ranking as the law's, not as a forecast.");
        }
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
            runRows.add(List.of(r.run(), String.format(Locale.ROOT, "%,d", r.capBytes()), String.format(Locale.ROOT, "%,d", r.budget()),
                    Integer.toString(r.vocabSize()), Long.toString(r.seed()),
                    String.format(Locale.ROOT, "%,.0f", r.nonVocabParameters()), String.format(Locale.ROOT, "%,.0f", r.vocabParameters()),
                    f4(r.tokensPerByte()), String.format(Locale.ROOT, "%,.0f", r.trainingTokens()), String.format(Locale.ROOT, "%,d", r.artifactBytes()) + (r.artifactBytes() > r.capBytes() ? " (over the cap)" : ""), f4(r.bpb()), f4(r.fittedBpb()),
                    f4(r.tailMoveBpb()), r.stillLearning() ? "STILL LEARNING" : ""));
        }
        page.table(List.of("run", "cap", "budget", "V", "seed", "Nnv", "V d", "tok/B", "train tokens", "artifact bytes", "bpb", "law", "tail move (bpb)", ""), runRows);
        page.paragraph("The fitted law is in study/law.json; point headroom.sweep.predictor.law at it so the next sweep on this corpus ranks with it.");
        page.write(file);
    }

    /** The forward fold in words: whether the law beats the guesses that fit nothing, and the goal. */
    static String forwardVerdict(HeldOutCaps.Fold f) {
        if (!f.skipped().isEmpty()) return "Forward extrapolation was not made: " + f.skipped() + ".";
        String head = String.format(Locale.ROOT, "Forward extrapolation to %,d bytes (fitted to caps %s): the law orders %.2f of %d pairs "
                        + "(larger V is better: %.2f; each V's mean: %.2f), MAE %.4f bpb (each V's mean: %.4f). ", f.heldOutCap(), f.trainingCaps(),
                f.law().orderAccuracy(), f.law().pairs(), f.largerV().orderAccuracy(), f.meanOverCaps().orderAccuracy(), f.law().meanAbsoluteError(),
                f.meanOverCaps().meanAbsoluteError());
        String beats = f.shortfalls().isEmpty() ? "The law beats both guesses. "
                : "The law does not beat the guesses that fit nothing here, so it is not yet a predictor: " + String.join("; ", f.shortfalls()) + ". ";
        String goal = f.meetsGoal() ? "The goal is met."
                : String.format(Locale.ROOT, "The goal (order >= %.1f over >= %d pairs, MAE below each V's mean) is not met%s.", HeldOutCaps.GOAL_ORDER_ACCURACY,
                HeldOutCaps.GOAL_PAIRS, f.law().pairs() < HeldOutCaps.GOAL_PAIRS ? String.format(Locale.ROOT, " (only %d pairs: the largest cap needs more "
                        + "candidates)", f.law().pairs()) : "");
        return head + beats + goal;
    }

    private static String range(double[] interval) {
        return Double.isNaN(interval[0]) ? "-" : f4(interval[0]) + " - " + f4(interval[1]);
    }

    private static double[] column(double[][] points, int i) {
        double[] out = new double[points.length];
        for (int j = 0; j < points.length; j++) out[j] = points[j][i];
        return out;
    }

    private static String vocab(double v) {
        return Double.isNaN(v) ? "no interior optimum" : String.format(Locale.ROOT, "V = %,.0f", v);
    }

    private static String f3(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String f4(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }
}
