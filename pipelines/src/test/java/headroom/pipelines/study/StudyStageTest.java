package headroom.pipelines.study;

import com.typesafe.config.Config;
import headroom.scoring.predict.FittedLaw;
import headroom.scoring.predict.LawJson;
import headroom.pipelines.DemoSlice;
import headroom.pipelines.Headroom;
import headroom.pipelines.SparkTestBase;
import headroom.pipelines.conf.ConfException;
import headroom.pipelines.run.Manifest;
import headroom.pipelines.run.StageRecord;
import headroom.pipelines.spark.RecordTable;
import headroom.pipelines.study.StudyRows.FoldRow;
import headroom.pipelines.study.StudyRows.RunRow;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A tiny design (3 caps x 3 vocabularies x 1 seed at one token budget, the smallest cap's 3 again at a second: 12 runs, a few
 * steps each) on the demo slice: the whole study, its resume and its refusals.
 */
class StudyStageTest extends SparkTestBase {

    @TempDir
    static Path tmp;
    static Path run;
    static Path corpus;
    static List<String> listing;

    static Config conf(String... extra) {
        List<String> o = new ArrayList<>(List.of("prep.inputs=[\"" + corpus + "\"]", "prep.split.val-fraction=0.1",
                "sweep.vocab-sizes=[257, 512, 1024]", "sweep.reference-tokenizers=[]",
                "sweep.budget.cap-bytes=100000", "sweep.budget.widths=[64]", "sweep.budget.fill.band=0.05", "sweep.budget.head-modes=[tied]",
                "model.head-size=16", "model.queries-per-kv-head=1", "model.seq-len=32", "model.unique-blocks=1", "model.loops=2",
                "train.budget.protocol=tokens", "train.budget.tokens=768", "train.batch-size=4", "train.warmup-fraction=0.1", "train.lr-pilot.grid=[]", "train.eval-interval=3", "train.eval-documents=8",
                "train.checkpoint-interval=3", "train.log-interval=3", "train.threads=1", "score.val-max-docs=40",
                "study.caps=[50000, 80000, 120000]", "study.vocab-sizes=[257, 512, 1024]", "study.seeds=[1]", "study.bootstrap=20",
                "study.train-budgets=[768, 1536]", "study.more-budgets-at-caps=[50000]", "study.fill-band=0.5",
                "study.target-cap-bytes=1000000"));
        o.addAll(List.of(extra));
        return Headroom.conf(null, o.toArray(String[]::new));
    }

    static Path onExecutors;

    @BeforeAll
    static void studyOnce() throws Exception {
        corpus = DemoSlice.write(tmp.resolve("in"), 1200);
        run = tmp.resolve("run");
        assertTrue(Files.exists(Headroom.study(spark(), conf(), run, false)));
        listing = headroom.pipelines.RunListing.of(run);
        // the same study at train and score parallelism 2 (a Spark job each, a task per run) in a copy that keeps prep, sweep and shards
        onExecutors = tmp.resolve("on-executors");
        copyTree(run, onExecutors);
        headroom.core.io.FileTrees.deleteTree(onExecutors.resolve("study"));
        assertTrue(Files.exists(Headroom.study(spark(), conf("train.parallelism=2", "score.parallelism=2"), onExecutors, false)));
    }

    private static Map<String, String> artifactDigests(Path runDir) throws java.io.IOException {
        Map<String, String> out = new TreeMap<>();
        try (java.util.stream.Stream<Path> files = Files.walk(runDir.resolve("study/scored"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".hra")).toList()) {
                out.put(runDir.relativize(f).toString(), headroom.core.io.Sha256.of(f));
            }
        }
        return out;
    }

    private static void copyTree(Path from, Path to) throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(target);
                else Files.copy(f, target);
            }
        }
    }

    @Test
    void trainingAndScoringTheRunsOnExecutorsGivesTheSameFitToEveryDigit() throws Exception {
        for (String table : List.of("study/fit/runs.csv", "study/fit/folds.csv", "study/fit/held_out.csv", "study/fit/target.csv", "study/law.json")) {
            assertEquals(Files.readString(run.resolve(table)), Files.readString(onExecutors.resolve(table)), table);
        }
        // the artifacts to the byte (score.json differs only by the training's wall time, which it carries)
        Map<String, String> artifacts = artifactDigests(run);
        assertEquals(12, artifacts.size());
        assertEquals(artifacts, artifactDigests(onExecutors));
        for (Map.Entry<String, StageRecord> e : Manifest.load(onExecutors).stages().entrySet()) {
            if (!e.getKey().startsWith("study/")) continue;
            assertEquals(StageRecord.Status.SUCCEEDED, e.getValue().status(), e.getKey());
            if (e.getKey().startsWith("study/train/") || e.getKey().startsWith("study/score/")) {
                assertEquals(Manifest.load(run).stage(e.getKey()).orElseThrow().fingerprint(), e.getValue().fingerprint(), "same run, same stage");
                assertTrue(e.getValue().outputs().containsKey("task_attempt"), e.getKey() + " ran as a Spark task");
            }
        }
    }

    @Test
    void theStudyWritesThePathsAndNamesItAlwaysWrote() throws Exception {
        headroom.pipelines.RunListing.assertUnchanged("study", listing);
    }

    private static Map<String, String> studyStageEnds() {
        Map<String, String> m = new TreeMap<>();
        Manifest.load(run).stages().forEach((name, r) -> {
            if (name.startsWith("study/")) m.put(name, r.endedAt());
        });
        return m;
    }

    @Test
    void everyRunOfTheDesignIsScoredAndTheLawIsFittedAndValidated() throws Exception {
        List<RunRow> runs = RecordTable.readCsv(run.resolve("study/fit/runs.csv"), RunRow.class);
        assertEquals(12, runs.size());
        assertEquals(List.of(768L, 1536L), runs.stream().filter(r -> r.capBytes() == 50_000).map(RunRow::budget).distinct().sorted().toList());
        for (RunRow r : runs) {
            assertTrue(r.artifactBytes() <= r.capBytes(), "each run's artifact fits its cap: " + r);
            assertTrue(r.bpb() > 0 && Double.isFinite(r.fittedBpb()), r.toString());
        }
        FittedLaw law = LawJson.load(run.resolve("study/law.json"));
        assertEquals("fit", law.basis());
        assertEquals(12, law.runs());
        assertEquals(20, law.bootstrap().size() + law.bootstrapFailures());
        List<FoldRow> folds = RecordTable.readCsv(run.resolve("study/fit/folds.csv"), FoldRow.class);
        // forward to the largest cap first (fitted to the 9 runs of the smaller caps), then each cap left out
        assertEquals(List.of("forward", "leave-one-cap-out", "leave-one-cap-out", "leave-one-cap-out"), folds.stream().map(FoldRow::kind).toList());
        assertEquals(List.of(120_000L, 50_000L, 80_000L, 120_000L), folds.stream().map(FoldRow::heldOutCap).toList());
        assertEquals(9, folds.get(0).trainingRuns());
        assertEquals(3, folds.get(0).candidates());
        assertEquals(3, folds.get(0).pairs());
        // without the smallest cap the others have 6 runs, fewer than the law's 7 parameters: that fold says so
        assertTrue(folds.get(1).skipped().contains("fewer than the law's 7 parameters"), folds.get(1).skipped());
        assertEquals(3, folds.get(2).candidates());
        assertEquals(3, folds.get(2).pairs());
        assertTrue(Double.isNaN(folds.get(0).spearman()), "no Spearman under 5 candidates");
        String html = Files.readString(run.resolve("report/study.html"));
        assertTrue(html.contains("Forward extrapolation to 120,000 bytes") && html.contains("larger V is better")
                && html.contains("leave one cap out") && html.contains("Predicted at the target cap: 1,000,000 bytes")
                && html.contains("optimal vocabulary for the same non-embedding size"), "the report's sections");
        String summary = Files.readString(run.resolve("study/fit/summary.json"));
        System.out.println(summary);
        assertTrue(html.contains("<svg"), "curves as SVG");
        // which runs were still learning, from each run's convergence (a few steps each here: some are)
        List<String> learning = runs.stream().filter(RunRow::stillLearning).map(RunRow::run).toList();
        assertTrue(summary.contains("\"still_learning_runs\""), summary);
        for (String r : learning) assertTrue(html.contains(r + " ") || html.contains(r + ",") || html.contains(r + "."), "named as still learning: " + r);
        assertTrue(learning.isEmpty() ? html.contains("Every run had converged") : html.contains("were still learning at the end of their budget"));
        // what each of the law's terms does across the runs, and which show no effect there
        assertTrue(html.contains("moves across the runs (bpb)") && summary.contains("\"term\" : \"trunk\"") && summary.contains("\"flat_terms\""),
                "the law's terms in the report and the summary");
    }

    @Test
    void aKilledStudyResumesWithoutRetrainingFinishedRuns() throws Exception {
        Map<String, String> before = studyStageEnds();
        // what a kill during one run's training leaves: its stage RUNNING, no published model
        String killed = "study/train/c80000-" + RecordTable.readCsv(run.resolve("study/fit/runs.csv"), RunRow.class).stream()
                .filter(r -> r.capBytes() == 80_000 && r.vocabSize() == 512).findFirst().orElseThrow().candidate() + "-s1";
        StageRecord r = Manifest.load(run).stage(killed).orElseThrow();
        Manifest.load(run).put(new StageRecord(r.stage(), StageRecord.Status.RUNNING, r.fingerprint(), r.codeVersion(), r.conf(), r.inputs(),
                r.startedAt(), null, 0, Map.of(), null));
        headroom.core.io.FileTrees.deleteTree(run.resolve(killed.replace("study/train/", "study/models/")));

        Headroom.study(spark(), conf(), run, false);
        Map<String, String> after = studyStageEnds();
        for (Map.Entry<String, String> e : before.entrySet()) {
            if (e.getKey().equals(killed)) {
                assertNotEquals(e.getValue(), after.get(e.getKey()), "the killed run is trained again");
            } else if (e.getKey().startsWith("study/train/")) {
                assertEquals(e.getValue(), after.get(e.getKey()), e.getKey() + " finished before the kill and is not re-trained");
            }
        }
        assertTrue(Files.isRegularFile(run.resolve(killed.replace("study/train/", "study/models/")).resolve("weights.bin")));
    }

    @Test
    void aDesignWhoseCapCannotBeFilledIsRefusedNamingTheCap() {
        ConfException e = assertThrows(ConfException.class,
                () -> Headroom.study(spark(), conf("study.caps=[8000, 50000]"), run, false));
        assertTrue(e.getMessage().contains("cannot fill cap 8,000 bytes") && e.getMessage().contains("vocabulary 257"), e.getMessage());
    }

    @Test
    void aDesignWithFewerRunsThanTheLawsParametersIsRefused() {
        ConfException e = assertThrows(ConfException.class,
                () -> Headroom.study(spark(), conf("study.caps=[50000, 80000]", "study.vocab-sizes=[512, 1024]"), run, false));
        assertTrue(e.getMessage().contains("has 6 runs") && e.getMessage().contains("fewer than the law's 7 parameters"), e.getMessage());
    }

    @Test
    void aSweepPointedAtTheStudysLawRanksWithItsIntervals() throws Exception {
        Path other = tmp.resolve("next");
        Config next = conf("sweep.predictor.law=\"" + run.resolve("study/law.json") + "\"");
        Headroom.prep(spark(), next, other, false);
        Headroom.sweep(spark(), next, other, false);
        for (Row p : Headroom.sweepTable(spark(), other, "predictions").collectAsList()) {
            assertEquals("fit", p.getString(p.fieldIndex("basis")));
            assertTrue(p.getDouble(p.fieldIndex("predicted_bpb_low")) <= p.getDouble(p.fieldIndex("predicted_bpb_high")), p.toString());
        }
        // the law is rank's input, not the sweep's: changing it re-ranks without re-running the sweep
        assertTrue(Headroom.sweep(spark(), conf(), other, false).skipped(), "the sweep is up to date whatever law ranks its candidates");
        assertEquals("prior, not calibrated", Headroom.sweepTable(spark(), other, "predictions").first().getAs("basis"), "rank re-ran on the prior");
    }
}
