package headroom.pipelines.report;

import headroom.pipelines.run.PipelineStage;
import headroom.pipelines.run.RunLayout;
import headroom.pipelines.report.HtmlReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import headroom.scoring.ScoreRows.CandidateSummaryRow;
import headroom.scoring.ScoreRows.LeaderboardRow;
import headroom.scoring.ScoreRows.VerdictRow;
import headroom.pipelines.spark.RecordTable;
import headroom.pipelines.run.CodeFingerprint;
import headroom.pipelines.run.Manifest;
import headroom.pipelines.run.Stage;
import headroom.pipelines.run.StageContext;
import headroom.pipelines.run.StageSpec;
import headroom.pipelines.run.StageRecord;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The page a run ends on, {@code report/index.html}. It leads with the hypothesis's primary endpoint, its
 * verdict and its picture; then every criterion, the leaderboard, one line per stage from the manifest (status,
 * time, what it produced) and a link to every report the stages wrote.
 */
public final class ReportIndexStage implements Stage {

    public static final String NAME = "report";
    private final Path runDir;
    private final Map<String, StageRecord> stages = new LinkedHashMap<>();

    /** The stage: planning reads the manifest's records. */
    public static PipelineStage<ReportIndexStage> of() {
        return PipelineStage.of(NAME, run -> new ReportIndexStage(run.root()));
    }

    private ReportIndexStage(Path runDir) {
        this.runDir = runDir;
        Manifest.load(runDir).stages().forEach((name, record) -> {
            if (!name.equals(NAME)) stages.put(name, record);
        });
    }

    @Override
    public StageSpec spec() {
        return new StageSpec(NAME, CodeFingerprint.of(ReportIndexStage.class), "{}", stageInputFingerprints(), List.of(RunLayout.RELATIVE.indexReport().toString()));
    }

    private Map<String, String> stageInputFingerprints() {
        Map<String, String> m = new LinkedHashMap<>();
        stages.forEach((name, r) -> m.put(name, r.status() + " " + r.fingerprint()));
        return m;
    }

    @Override
    public Map<String, Object> execute(StageContext context) throws Exception {
        HtmlReport page = new HtmlReport("Headroom run: " + runDir.getFileName());
        page.paragraph("Run directory " + runDir + ". Every stage records its conf snapshot, input fingerprints and code version in manifest.json.");
        RunLayout run = new RunLayout(runDir);
        smokeRunWarning(run).ifPresent(page::paragraph);
        Path verdicts = RunLayout.csv(run.verdicts());
        if (Files.exists(verdicts)) {
            List<VerdictRow> all = RecordTable.readCsv(verdicts, VerdictRow.class);
            // the primary endpoint leads: the one answer the run was designed to give, and its picture
            page.heading("The primary endpoint: net gain bpb(A) - bpb(C)");
            for (VerdictRow v : all) {
                if (v.role().equals("primary")) {
                    page.paragraph(design(v) + ": " + v.verdict().toUpperCase(Locale.ROOT) + ". " + v.finding());
                }
            }
            Path picture = run.reports().resolve(PRIMARY_SVG);
            if (Files.isRegularFile(picture)) page.svg(Files.readString(picture));
            page.heading("The hypothesis, criterion by criterion");
            List<List<String>> rows = new ArrayList<>();
            for (VerdictRow v : all) {
                rows.add(List.of(design(v), Integer.toString(v.number()), v.role(), v.criterion(), v.verdict(), v.finding()));
            }
            page.table(List.of("design", "#", "role", "criterion", "verdict", "finding"), rows);
        }
        Path leaderboard = RunLayout.csv(run.leaderboardByCandidate());
        if (Files.exists(leaderboard)) {
            page.heading("Leaderboard: post-roundtrip bits per byte on the whole val split, over seeds");
            List<List<String>> rows = new ArrayList<>();
            for (CandidateSummaryRow r : RecordTable.readCsv(leaderboard, CandidateSummaryRow.class)) {
                rows.add(List.of(r.candidate(), r.plan(), Integer.toString(r.n()), String.format("%.4f", r.bpbPostMean()),
                        Double.isNaN(r.bpbPostStd()) ? "-" : String.format("%.4f", r.bpbPostStd()), String.format("%,.0f", r.artifactBytesMean()),
                        String.format("%.1f%%", 100 * r.fillMean()), r.allValid() ? "yes" : "OVER THE CAP", Integer.toString(r.seqLen()), r.protocol()));
            }
            page.table(List.of("candidate", "precision plan", "n", "bpb mean", "bpb std", "artifact bytes", "fill", "valid", "T", "budget"), rows);
        }
        page.heading("Reports");
        List<String> reports = reports();
        for (String r : reports) page.link(title(r), r);
        if (reports.isEmpty()) page.paragraph("No stage has written a report yet.");
        page.heading("Stages");
        List<List<String>> rows = new ArrayList<>();
        List<StageRecord> ordered = new ArrayList<>(stages.values());
        ordered.sort(java.util.Comparator.comparing(r -> r.startedAt() == null ? "" : r.startedAt()));
        for (StageRecord r : ordered) {
            rows.add(List.of(r.stage(), r.status().name().toLowerCase(Locale.ROOT),
                    String.format("%.1f s", r.seconds()), r.endedAt() == null ? "-" : r.endedAt().replaceFirst("\\.\\d+Z$", "Z"),
                    summarize(r.outputs())));
        }
        page.table(List.of("stage", "status", "time", "finished", "outputs"), rows);
        Path out = context.staged().indexReport();
        Files.createDirectories(out.getParent());
        page.write(out);
        return Map.of("reports", reports.size(), "stages", stages.size());
    }

    /**
     * "SMOKE RUN" when the measurements say the runs had not finished learning (DESIGN.md, "Runs that finished learning"):
     * a run still learning, or a model that does not clear the n-gram floor by its margin. The page says so before any
     * verdict, because such a comparison measures optimisation speed, not what the bytes buy.
     */
    static Optional<String> smokeRunWarning(RunLayout run) throws java.io.IOException {
        Path leaderboard = RunLayout.csv(run.leaderboard());
        if (!Files.exists(leaderboard)) return Optional.empty();
        List<LeaderboardRow> rows = RecordTable.readCsv(leaderboard, LeaderboardRow.class)
                .stream().filter(LeaderboardRow::sizingPlan).toList();
        long runs = rows.stream().map(LeaderboardRow::model).distinct().count();
        long learning = rows.stream().filter(LeaderboardRow::stillLearning)
                .map(LeaderboardRow::model).distinct().count();
        double margin = clearMargin(run);
        long under = Double.isNaN(margin) ? 0 : rows.stream().filter(r -> !(r.ngramMargin() >= margin)).count();
        if (learning == 0 && under == 0) return Optional.empty();
        return Optional.of(String.format(Locale.ROOT, "SMOKE RUN: %d of %d runs were still learning at their last step, and %d of "
                + "%d artifacts under their sizing plan are not %.2f bpb below the byte n-gram floor. Its verdicts measure how fast each arm "
                + "optimises, not what its bytes buy: read them as a check that the pipeline works, not as an answer.",
                learning, runs, under, rows.size(), Double.isNaN(margin) ? 0.0 : margin));
    }

    /** The n-gram floor's clear margin from the score stage's summary.json; NaN without a floor. */
    private static double clearMargin(RunLayout run) throws java.io.IOException {
        Path summary = run.scoreSummary();
        if (!Files.exists(summary)) return Double.NaN;
        JsonNode margin = new ObjectMapper().readTree(summary.toFile()).path("ngram").path("clear_margin");
        return margin.isNumber() ? margin.asDouble() : Double.NaN;
    }

    /** The primary endpoint's picture the score stage draws beside report/hypothesis.html. */
    private static final String PRIMARY_SVG = "primary.svg";

    private static String design(VerdictRow v) {
        return v.plan().isEmpty() ? v.pair() : v.pair() + " under " + v.plan();
    }

    /** The report pages next to index.html, in pipeline order: sweep, training, score, hypothesis. */
    private List<String> reports() throws java.io.IOException {
        RunLayout run = new RunLayout(runDir);
        Path dir = run.reports();
        if (!Files.isDirectory(dir)) return List.of();
        List<Path> pages;
        try (Stream<Path> s = Files.list(dir)) {
            pages = s.filter(p -> p.getFileName().toString().endsWith(".html") && !p.equals(run.indexReport())).sorted().toList();
        }
        List<Path> ordered = new ArrayList<>();
        pages.stream().filter(p -> p.equals(run.sweepReport()) || p.equals(run.rankingReport())).forEach(ordered::add);
        pages.stream().filter(p -> RunLayout.trainReportModel(p).isPresent()).forEach(ordered::add);
        pages.stream().filter(p -> p.equals(run.scoreReport())).forEach(ordered::add);
        pages.stream().filter(p -> p.equals(run.hypothesisReport())).forEach(ordered::add);
        for (Path p : pages) if (!ordered.contains(p)) ordered.add(p);
        return ordered.stream().map(p -> p.getFileName().toString()).toList();
    }

    private String title(String file) {
        RunLayout run = new RunLayout(runDir);
        Path page = run.reports().resolve(file);
        if (page.equals(run.sweepReport())) return "Vocabulary sweep: tokens per byte, head bytes, trunk budget";
        if (page.equals(run.rankingReport())) return "Candidates ranked by predicted bits per byte";
        if (page.equals(run.studyReport())) return "Study: the law of bits per byte, validated and carried to the target cap";
        if (RunLayout.trainReportModel(page).isPresent()) return "Training: " + RunLayout.trainReportModel(page).get();
        if (page.equals(run.scoreReport())) return "Scores: leaderboard, Pareto plot, bytes by part";
        if (page.equals(run.hypothesisReport())) return "The hypothesis: the four falsification criteria, answered";
        return file;
    }

    private static String summarize(Map<String, Object> outputs) {
        StringBuilder s = new StringBuilder();
        outputs.forEach((k, v) -> {
            if (v instanceof Number || v instanceof String || v instanceof Boolean) {
                if (s.length() > 0) s.append(", ");
                String value = v instanceof Double || v instanceof Float ? String.format("%.4g", ((Number) v).doubleValue()) : String.valueOf(v);
                s.append(k.replace('_', ' ')).append(' ').append(value);
            }
        });
        return s.length() > 160 ? s.substring(0, 157) + "..." : s.toString();
    }
}
