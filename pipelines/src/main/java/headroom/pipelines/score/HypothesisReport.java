package headroom.pipelines.score;

import headroom.pipelines.run.RunLayout;
import headroom.scoring.HypothesisVerdicts;
import headroom.pipelines.report.HtmlReport;
import headroom.scoring.HypothesisVerdicts.Verdict;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code report/hypothesis.html} and its Markdown twin: per vocabulary pair, the four criteria of DESIGN.md's decomposition. */
final class HypothesisReport {

    static final String HYPOTHESIS = "Shrink the tokenizer / LM-head burden, accept longer sequences, and reinvest the freed bytes in a "
            + "wider shared-depth trunk with tiny per-loop specialisation.";

    static final String DESIGN = "For a pair V_small < V_large: A = V_large filling the cap; B = V_small with exactly A's trunk (its freed "
            + "head bytes left unspent); C = V_small with the trunk grown to fill the cap. Every difference is paired by seed and shown as "
            + "mean [95% interval], n seeds, oriented so that a positive value is what the hypothesis predicts. A criterion holds when the "
            + "whole interval lies above + the minimum effect, fails when it lies below - the minimum effect, and is inconclusive otherwise; "
            + "criterion 2 compares the bytes freed on the artifact files with the sweep's prediction.";

    private HypothesisReport() {
    }

    static void write(Path html, Path markdown, List<Verdict> verdicts, String context) throws IOException {
        HtmlReport page = new HtmlReport("Headroom: the hypothesis against the measurements");
        page.paragraph(HYPOTHESIS);
        page.paragraph(DESIGN);
        page.paragraph(context);
        List<List<String>> summary = new ArrayList<>();
        for (Verdict v : verdicts) {
            summary.add(List.of(v.pair(), Integer.toString(v.number()), v.criterion(), v.word().word(), v.measure(), estimate(v)));
        }
        page.table(List.of("pair", "#", "criterion", "verdict", "measure", "mean [95% interval], n"), summary);
        for (Verdict v : verdicts) {
            page.heading(v.pair() + ", " + v.number() + ". " + v.criterion() + ": " + v.word().word());
            page.paragraph(v.finding());
            if (!v.evidence().isEmpty()) page.table(List.of("measured"), v.evidence().stream().map(List::of).toList());
        }
        page.link("Scores, Pareto plot and leaderboard", RunLayout.RELATIVE.scoreReport().getFileName().toString());
        page.write(html);
        Files.writeString(markdown, markdown(verdicts, context), StandardCharsets.UTF_8);
    }

    static String markdown(List<Verdict> verdicts, String context) {
        StringBuilder s = new StringBuilder("# Headroom: the hypothesis against the measurements\n\n");
        s.append(HYPOTHESIS).append("\n\n").append(DESIGN).append("\n\n").append(context)
                .append("\n\n| pair | # | criterion | verdict | measure | mean [95% interval], n |\n|---|---|---|---|---|---|\n");
        for (Verdict v : verdicts) {
            s.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s |%n", v.pair(), v.number(), v.criterion(), v.word().word(),
                    v.measure(), estimate(v)));
        }
        for (Verdict v : verdicts) {
            s.append("\n## ").append(v.pair()).append(", ").append(v.number()).append(". ").append(v.criterion()).append(": ")
                    .append(v.word().word()).append("\n\n").append(v.finding()).append("\n\n");
            for (String e : v.evidence()) s.append("- ").append(e).append('\n');
        }
        return s.toString();
    }

    private static String estimate(Verdict v) {
        if (v.interval().n() == 0) return "-";
        boolean bytes = v.number() == 2;
        String fmt = bytes ? "%,.0f" : "%+.4f";
        if (v.interval().n() < 2) return String.format(Locale.ROOT, fmt + ", n=1", v.interval().mean());
        return String.format(Locale.ROOT, fmt + " [" + fmt + ", " + fmt + "], n=%d", v.interval().mean(), v.interval().lower(),
                v.interval().upper(), v.interval().n());
    }
}
