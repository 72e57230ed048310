package headroom.pipelines.nightly;

import headroom.pipelines.run.RunLayout;
import headroom.core.io.FileTrees;
import headroom.core.io.AtomicFiles;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.typesafe.config.Config;
import headroom.pipelines.report.HtmlReport;
import headroom.pipelines.run.DirLock;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One night: the pipeline into {@code <root>/date=YYYY-MM-DD/} (prep and sweep; tokenize, train and
 * score too when the conf asks), then a diff against the latest earlier night, written as
 * {@code nightly-diff.json} and {@code nightly-diff.html} beside the run. Re-running a date is
 * idempotent: its stages are up to date and skip, and the diff is written again from the same data.
 */
public final class NightlyRunner {

    private static final Logger LOG = LoggerFactory.getLogger(NightlyRunner.class);
    static final String PREFIX = "date=";

    /** What a night produced: its run directory, the night it was compared with, and the changes. */
    public record Outcome(Path runDir, LocalDate date, Optional<LocalDate> previous, List<NightlyDiff.Change> changes) {
        public boolean flagged() {
            return NightlyDiff.anyFlagged(changes);
        }
    }

    /**
     * The stages a night runs into its run directory: prep and sweep always, tokenize, train and score
     * when {@code trainAndScore}. The caller supplies them ({@code Headroom.nightly} passes its own), so
     * that this package does not call back up into the public API that calls it.
     */
    @FunctionalInterface
    public interface Stages {
        void run(Path runDir, boolean trainAndScore);
    }

    private NightlyRunner() {
    }

    public static Outcome run(SparkSession spark, Config config, LocalDate date, boolean force, Stages stages) throws IOException {
        NightlyConf conf = NightlyConf.from(config);
        Path root = conf.root().toAbsolutePath().normalize();
        Path runDir = root.resolve(PREFIX + date);
        String command = "headroom nightly --date " + date + (force ? " --force" : "");
        try (DirLock night = DirLock.acquire(root, DirLock.NIGHTLY, "nightly root", command);
             DirLock run = DirLock.acquire(runDir, DirLock.RUN_DIR, "run directory", command)) {
            stages.run(runDir, conf.trainAndScore());

            Optional<LocalDate> previous = previousNight(root, date);
            NightMetrics now = NightMetrics.read(spark, runDir);
            List<NightlyDiff.Change> changes = previous
                    .map(p -> NightlyDiff.compare(NightMetrics.read(spark, root.resolve(PREFIX + p)), now, conf.thresholds()))
                    .orElse(List.of());
            Outcome outcome = new Outcome(runDir, date, previous, changes);
            writeDiff(outcome);
            prune(root, date, conf.keep());
            LOG.info("nightly {}: compared with {}: {} metrics, {} past their threshold{}", date,
                    previous.map(LocalDate::toString).orElse("nothing (first night)"), changes.size(),
                    changes.stream().filter(NightlyDiff.Change::flagged).count(),
                    outcome.flagged() ? " -> flagged, see " + new RunLayout(runDir).nightlyDiff("html") : "");
            return outcome;
        }
    }

    /** The latest earlier night whose sweep finished. */
    static Optional<LocalDate> previousNight(Path root, LocalDate date) throws IOException {
        return nights(root).stream().filter(d -> d.isBefore(date))
                .filter(d -> Files.exists(RunLayout.parquet(new RunLayout(root.resolve(PREFIX + d)).vocabMetrics())))
                .max(LocalDate::compareTo);
    }

    static List<LocalDate> nights(Path root) throws IOException {
        List<LocalDate> out = new ArrayList<>();
        if (!Files.isDirectory(root)) return out;
        try (Stream<Path> s = Files.list(root)) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(PREFIX)).forEach(n -> {
                try {
                    out.add(LocalDate.parse(n.substring(PREFIX.length())));
                } catch (java.time.format.DateTimeParseException ignored) {
                    // not one of ours
                }
            });
        }
        out.sort(LocalDate::compareTo);
        return out;
    }

    /** Keeps the newest {@code keep} nights; never deletes the night just run. */
    static void prune(Path root, LocalDate current, int keep) throws IOException {
        List<LocalDate> all = nights(root);
        for (int i = 0; i < all.size() - keep; i++) {
            if (all.get(i).equals(current)) continue;
            LOG.info("nightly: keeping {} nights, deleting {}", keep, all.get(i));
            FileTrees.deleteTree(root.resolve(PREFIX + all.get(i)));
        }
    }

    private static void writeDiff(Outcome o) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("date", o.date().toString());
        json.put("previous", o.previous().map(LocalDate::toString).orElse(null));
        json.put("flagged", o.flagged());
        json.put("changes", o.changes());
        AtomicFiles.write(new RunLayout(o.runDir()).nightlyDiff("json"),
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(json));

        HtmlReport page = new HtmlReport("Headroom nightly " + o.date());
        if (o.previous().isEmpty()) {
            page.paragraph("First night under this root: nothing to compare with yet.");
        } else {
            long flagged = o.changes().stream().filter(NightlyDiff.Change::flagged).count();
            page.paragraph("Compared with " + o.previous().get() + ": " + o.changes().size() + " metrics, "
                    + flagged + (flagged == 1 ? " moved" : " moved") + " past the threshold set in headroom.nightly.thresholds.");
            List<List<String>> rows = new ArrayList<>();
            List<NightlyDiff.Change> sorted = new ArrayList<>(o.changes());
            sorted.sort((a, b) -> Boolean.compare(b.flagged(), a.flagged()));
            for (NightlyDiff.Change c : sorted) {
                rows.add(List.of(c.flagged() ? "FLAGGED" : "ok", c.metric(), num(c.previous()), num(c.current()),
                        Double.isNaN(c.change()) ? "-" : String.format(c.metric().startsWith("bpb") ? "%+.4f" : "%+.2f%%",
                                c.metric().startsWith("bpb") ? c.change() : 100 * c.change()),
                        c.metric().startsWith("bpb") ? String.format("%.4f", c.threshold()) : String.format("%.2f%%", 100 * c.threshold())));
            }
            page.table(List.of("status", "metric", "previous", "this night", "change", "threshold"), rows);
        }
        page.link("the sweep report of this night", RunLayout.RELATIVE.sweepReport().toString());
        page.write(new RunLayout(o.runDir()).nightlyDiff("html"));
    }

    private static String num(Double v) {
        return v == null ? "-" : String.format("%.6g", v);
    }
}
