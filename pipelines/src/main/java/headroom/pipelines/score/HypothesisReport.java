package headroom.pipelines.score;

import headroom.eval.report.HtmlReport;
import headroom.pipelines.score.HypothesisVerdicts.Status;
import headroom.pipelines.score.HypothesisVerdicts.Verdict;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code report/hypothesis.html} and its Markdown twin: each falsification criterion of DESIGN.md with its verdict and numbers. */
final class HypothesisReport {

    static final String HYPOTHESIS = "Shrink the tokenizer / LM-head burden, accept longer sequences, and reinvest the freed bytes in a "
            + "wider shared-depth trunk with tiny per-loop specialisation. It is false if, at matched artifact size, any criterion below holds.";

    static final String READING = "Each verdict is the hypothesis's fate on one criterion: SUPPORTED, the measurements do not falsify it there; "
            + "REFUTED, they do; NOT ENOUGH DATA, the scored artifacts cannot decide, and the run that would is named. "
            + "Matched artifact size: two valid artifacts of one precision plan within "
            + Math.round(100 * HypothesisVerdicts.MATCH_TOLERANCE) + "% of each other's bytes.";

    private HypothesisReport() {
    }

    static void write(Path html, Path markdown, List<Verdict> verdicts, String context) throws IOException {
        HtmlReport page = new HtmlReport("Headroom: the hypothesis against the measurements");
        page.paragraph(HYPOTHESIS);
        page.paragraph(context);
        page.paragraph(READING);
        List<List<String>> summary = new ArrayList<>();
        for (Verdict v : verdicts) summary.add(List.of(Integer.toString(v.number()), v.criterion(), word(v.status()), v.finding()));
        page.table(List.of("#", "falsified if", "verdict", "finding"), summary);
        for (Verdict v : verdicts) {
            page.heading(v.number() + ". " + v.criterion() + ": " + word(v.status()));
            page.paragraph(v.finding());
            if (!v.evidence().isEmpty()) page.table(List.of("measured"), v.evidence().stream().map(List::of).toList());
            if (!v.settle().isEmpty()) page.paragraph("To settle it: " + v.settle());
        }
        page.link("Scores, Pareto plot and leaderboard", "score.html");
        page.write(html);
        Files.writeString(markdown, markdown(verdicts, context), StandardCharsets.UTF_8);
    }

    static String markdown(List<Verdict> verdicts, String context) {
        StringBuilder s = new StringBuilder("# Headroom: the hypothesis against the measurements\n\n");
        s.append(HYPOTHESIS).append("\n\n").append(context).append("\n\n").append(READING).append("\n\n| # | falsified if | verdict | finding |\n|---|---|---|---|\n");
        for (Verdict v : verdicts) {
            s.append(String.format(Locale.ROOT, "| %d | %s | %s | %s |%n", v.number(), v.criterion(), word(v.status()), v.finding().replace("|", "\\|")));
        }
        for (Verdict v : verdicts) {
            s.append("\n## ").append(v.number()).append(". ").append(v.criterion()).append(": ").append(word(v.status())).append("\n\n");
            s.append(v.finding()).append("\n\n");
            for (String e : v.evidence()) s.append("- ").append(e).append('\n');
            if (!v.evidence().isEmpty()) s.append('\n');
            if (!v.settle().isEmpty()) s.append("To settle it: ").append(v.settle()).append("\n");
        }
        return s.toString();
    }

    static String word(Status status) {
        return status == Status.NOT_ENOUGH_DATA ? "NOT ENOUGH DATA" : status.name();
    }
}
