package headroom.pipelines.score;

import headroom.model.CandidateNames;
import headroom.pipelines.report.ChartSpec;
import headroom.pipelines.report.HtmlReport;
import headroom.pipelines.report.ReferenceLine;
import headroom.pipelines.report.Series;
import headroom.pipelines.report.SvgChart;
import headroom.pipelines.run.RunLayout;
import headroom.pipelines.train.TrainLogRows;
import headroom.scoring.HypothesisVerdicts;
import headroom.scoring.HypothesisVerdicts.Design;
import headroom.scoring.HypothesisVerdicts.Role;
import headroom.scoring.HypothesisVerdicts.Step;
import headroom.scoring.HypothesisVerdicts.Verdict;
import headroom.scoring.PairedInterval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@code report/hypothesis.html} and its Markdown twin: the primary endpoint first, then per design (vocabulary pair
 * under one precision plan) the calibration and the Holm-adjusted secondary criteria, and the primary difference at
 * every evaluation step of training, so a reader sees whether it had settled. The primary's picture is also written
 * alone as {@code report/primary.svg}, which the run's index page leads with.
 */
final class HypothesisReport {

    static final String HYPOTHESIS = "Shrink the tokenizer / LM-head burden, accept longer sequences, and reinvest the freed bytes in a "
            + "wider shared-depth trunk with tiny per-loop specialisation.";

    static final String DESIGN = "For a pair V_small < V_large, sized under each precision plan: A = V_large filling the cap; B = V_small with "
            + "exactly A's trunk (its freed head bytes left unspent); C = V_small with the trunk grown to fill the cap. Every difference is "
            + "paired by seed, oriented so that a positive value is what the hypothesis predicts.";

    static final String PLAN = "Analysis plan. Primary endpoint: the net gain bpb(A) - bpb(C) after the round trip, 95% t-interval, unadjusted; "
            + "it holds when the whole interval lies above + the minimum effect and fails below - it. Criterion 2 is a calibration: "
            + "bytes freed on the files against the sweep's prediction, per part, as a ratio with a tolerance. Secondary family: "
            + HypothesisVerdicts.FAMILY + "; each secondary interval is shown at the level Holm tested it at, so it reads the same as its word. "
            + "Criterion 4 is a difference in differences, (A - C out of domain) - (A - C on val), and holds when its interval lies above "
            + "- the minimum effect (the gain does not shrink out of domain). A criterion that rests on a run still learning reads inconclusive.";

    /** The primary difference over training, per design. */
    record Trajectory(Design design, List<Step> steps) {
    }

    private HypothesisReport() {
    }

    static void write(RunLayout run, Path html, Path markdown, List<Verdict> verdicts, List<Trajectory> trajectories, String context, double minEffect)
            throws IOException {
        HtmlReport page = new HtmlReport("Headroom: the hypothesis against the measurements");
        for (String line : primaryLines(verdicts)) page.paragraph(line);
        Optional<String> picture = picture(trajectories, minEffect);
        picture.ifPresent(page::svg);
        // the index page and a re-run's completeness check both expect the file, so a run with nothing to draw says why
        Files.writeString(run.reports().resolve(PRIMARY_SVG), picture.orElse(SvgChart.message("The primary endpoint over training",
                "nothing to draw: no design with A and C each evaluated at two or more steps over two or more seeds")), StandardCharsets.UTF_8);
        page.paragraph(HYPOTHESIS);
        page.paragraph(DESIGN);
        page.paragraph(PLAN);
        page.paragraph(context);
        page.table(HEADER, verdicts.stream().map(HypothesisReport::cells).toList());
        for (Trajectory t : trajectories) {
            page.heading(label(t.design()) + ": the primary difference at every evaluation step (fp32 weights, before the round trip)");
            page.table(List.of("step", "bpb(A) - bpb(C), 95% interval"), t.steps().stream()
                    .map(s -> List.of(Long.toString(s.step()), HypothesisVerdicts.show(s.difference()))).toList());
        }
        for (Verdict v : verdicts) {
            page.heading(label(v) + ", " + v.number() + ". " + v.criterion() + ": " + v.word().word());
            page.paragraph(v.finding());
            if (!v.evidence().isEmpty()) page.table(List.of("measured"), v.evidence().stream().map(List::of).toList());
        }
        page.link("Scores, Pareto plot and leaderboard", RunLayout.RELATIVE.scoreReport().getFileName().toString());
        page.write(html);
        Files.writeString(markdown, markdown(verdicts, trajectories, context), StandardCharsets.UTF_8);
    }

    /** The picture the index page leads with, under the reports folder. */
    static final String PRIMARY_SVG = "primary.svg";

    private static final List<String> HEADER = List.of("design", "#", "role", "criterion", "verdict", "measure", "estimate [interval], n",
            "level", "p", "sd paired / unpaired");

    static String markdown(List<Verdict> verdicts, List<Trajectory> trajectories, String context) {
        StringBuilder s = new StringBuilder("# Headroom: the hypothesis against the measurements\n\n");
        for (String line : primaryLines(verdicts)) s.append(line).append("\n\n");
        s.append(HYPOTHESIS).append("\n\n").append(DESIGN).append("\n\n").append(PLAN).append("\n\n").append(context).append("\n\n")
                .append("| ").append(String.join(" | ", HEADER)).append(" |\n|").append("---|".repeat(HEADER.size())).append('\n');
        for (Verdict v : verdicts) s.append("| ").append(String.join(" | ", cells(v))).append(" |\n");
        for (Trajectory t : trajectories) {
            s.append("\n## ").append(label(t.design())).append(": the primary difference at every evaluation step\n\n")
                    .append("fp32 weights before the round trip, val bpb from each model's train_log.csv, paired by seed, 95% interval.\n\n")
                    .append("| step | bpb(A) - bpb(C) |\n|---|---|\n");
            for (Step st : t.steps()) s.append("| ").append(st.step()).append(" | ").append(HypothesisVerdicts.show(st.difference())).append(" |\n");
        }
        for (Verdict v : verdicts) {
            s.append("\n## ").append(label(v)).append(", ").append(v.number()).append(". ").append(v.criterion()).append(": ")
                    .append(v.word().word()).append("\n\n").append(v.finding()).append("\n\n");
            for (String e : v.evidence()) s.append("- ").append(e).append('\n');
        }
        return s.toString();
    }

    /** The report's first lines: the primary endpoint of every design, its word and its interval. */
    static List<String> primaryLines(List<Verdict> verdicts) {
        List<String> out = new ArrayList<>();
        for (Verdict v : verdicts) {
            if (v.role() == Role.PRIMARY) {
                out.add("Primary endpoint, " + label(v) + ": the net gain bpb(A) - bpb(C) = " + estimate(v)
                        + (Double.isNaN(v.confidence()) ? "" : String.format(Locale.ROOT, " (%.0f%% interval, unadjusted)", 100 * v.confidence()))
                        + ": " + v.word().word().toUpperCase(Locale.ROOT) + ".");
            }
        }
        return out;
    }

    /** The primary difference over training steps of the first design with a trajectory, with the minimum effect marked. */
    static Optional<String> picture(List<Trajectory> trajectories, double minEffect) {
        for (Trajectory t : trajectories) {
            List<Step> steps = t.steps().stream().filter(s -> s.difference().n() >= 2).toList();
            if (steps.size() < 2) continue;
            double[] x = steps.stream().mapToDouble(Step::step).toArray();
            ChartSpec spec = ChartSpec.of("Primary endpoint over training, " + label(t.design()) + ": bpb(A) - bpb(C), 95% interval", "step",
                            "bpb(A) - bpb(C), val, before the round trip")
                    .withReference(ReferenceLine.horizontal("+ minimum effect", minEffect))
                    .withReference(ReferenceLine.horizontal("- minimum effect", -minEffect));
            return Optional.of(SvgChart.line(spec, List.of(
                    new Series("mean over seeds", x, steps.stream().mapToDouble(s -> s.difference().mean()).toArray()),
                    new Series("95% lower", x, steps.stream().mapToDouble(s -> s.difference().lower()).toArray()),
                    new Series("95% upper", x, steps.stream().mapToDouble(s -> s.difference().upper()).toArray()))));
        }
        return Optional.empty();
    }

    /** Each design's A and C val bpb at every evaluation step, from models/<candidate>-s<seed>/train_log.csv. */
    static List<Trajectory> trajectories(Path modelsDir, List<Design> designs, double alpha) throws IOException {
        List<Trajectory> out = new ArrayList<>();
        for (Design d : designs) {
            Map<Long, NavigableMap<Long, Double>> a = curves(modelsDir, d.a()), c = curves(modelsDir, d.c());
            if (!a.isEmpty() && !c.isEmpty()) out.add(new Trajectory(d, HypothesisVerdicts.trajectory(a, c, alpha)));
        }
        return out;
    }

    private static Map<Long, NavigableMap<Long, Double>> curves(Path modelsDir, String candidate) throws IOException {
        Map<Long, NavigableMap<Long, Double>> out = new LinkedHashMap<>();
        if (!Files.isDirectory(modelsDir)) return out;
        List<Path> dirs;
        try (Stream<Path> s = Files.list(modelsDir)) {
            dirs = s.sorted().toList();
        }
        for (Path dir : dirs) {
            Optional<CandidateNames.Model> m = CandidateNames.parseModel(dir.getFileName().toString());
            Path log = dir.resolve(headroom.model.train.TrainLog.FILE);
            if (m.isEmpty() || !m.get().candidate().equals(candidate) || !Files.isRegularFile(log)) continue;
            NavigableMap<Long, Double> curve = new TreeMap<>();
            for (TrainLogRows.Row r : TrainLogRows.read(log)) if (r.evaluated() && !Double.isNaN(r.valBpb())) curve.put(r.step(), r.valBpb());
            out.put(m.get().seed(), curve);
        }
        return out;
    }

    private static List<String> cells(Verdict v) {
        return List.of(label(v), Integer.toString(v.number()), v.role().label(), v.criterion(), v.word().word(), v.measure(), estimate(v),
                Double.isNaN(v.confidence()) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * v.confidence()),
                Double.isNaN(v.pValue()) ? "-" : String.format(Locale.ROOT, "%.4f", v.pValue()),
                Double.isNaN(v.interval().std()) ? "-" : String.format(Locale.ROOT, "%.4f / %.4f", v.interval().std(), v.unpairedStd()));
    }

    private static String label(Verdict v) {
        return v.plan().isEmpty() ? v.pair() : v.pair() + " under " + shortPlan(v.plan());
    }

    private static String label(Design d) {
        return d.pair() + " under " + shortPlan(d.plan());
    }

    /** The plan's tag as candidate names carry it (int8, int5, ...), else the spec. */
    private static String shortPlan(String plan) {
        return headroom.pipelines.sweep.PlanBytes.tag(plan);
    }

    private static String estimate(Verdict v) {
        PairedInterval i = v.interval();
        if (i.n() == 0) return "-";
        if (v.role() == Role.CALIBRATION) return String.format(Locale.ROOT, "x%.3f, n=%d", i.mean(), i.n());
        if (i.n() < 2) return String.format(Locale.ROOT, "%+.4f, n=1", i.mean());
        return String.format(Locale.ROOT, "%+.4f [%+.4f, %+.4f], n=%d", i.mean(), i.lower(), i.upper(), i.n());
    }
}
