package headroom.pipelines;

import com.typesafe.config.Config;
import headroom.pipelines.notebooks.NoteRunner;
import headroom.scoring.ScoreRows.VerdictRow;
import headroom.pipelines.spark.RecordTable;
import headroom.pipelines.run.Manifest;
import headroom.pipelines.run.StageRecord;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole pipeline on a slice of the demo corpus, with a model small enough to train in seconds. */
class RunPipelineTest extends SparkTestBase {

    @TempDir
    static Path tmp;
    static Path run;
    static Path corpus;
    static List<String> listing;

    static Config conf(String... extra) {
        List<String> o = new ArrayList<>(List.of("prep.inputs=[\"" + corpus + "\"]", "prep.split.val-fraction=0.1",
                "sweep.vocab-sizes=[257, 512, 1024]", "sweep.reference-tokenizers=[]",
                "sweep.budget.cap-bytes=120000", "sweep.budget.widths=[64]", "sweep.budget.head-modes=[tied]", "sweep.budget.calibration-steps=0",
                "model.head-size=16", "model.context-bytes=64", "model.unique-blocks=1", "model.loops=2",
                "hypothesis.pairs=[[512, 1024]]", "train.candidates=[hypothesis]", "train.seeds=2", "train.budget.bytes=6000",
                "train.batch-size=4", "train.warmup-fraction=0.1", "train.lr-pilot.grid=[]",
                "train.eval-interval=10", "train.eval-documents=20", "train.checkpoint-interval=10", "train.threads=1",
                "score.precision-plans=[\"emb=int8,attn=int8,mlp=int8,norm=fp16,clip=none,outliers=0\"]", "score.eval-loops=[]"));
        o.addAll(List.of(extra));
        return Headroom.conf(null, o.toArray(String[]::new));
    }

    @BeforeAll
    static void runTheWholePipeline() throws Exception {
        corpus = DemoSlice.write(tmp.resolve("in"), 1200);
        run = tmp.resolve("run");
        Path index = Headroom.run(spark(), conf(), run, false);
        assertTrue(Files.exists(index));
        listing = RunListing.of(run);
    }

    @Test
    void theRunWritesThePathsAndNamesItAlwaysWrote() throws Exception {
        RunListing.assertUnchanged("run-pipeline", listing);
    }

    private static Map<String, String> endTimes() {
        Map<String, String> m = new TreeMap<>();
        Manifest.load(run).stages().forEach((name, r) -> m.put(name, r.endedAt()));
        return m;
    }

    private static List<String> trainStages() {
        return Manifest.load(run).stages().keySet().stream().filter(k -> k.startsWith("train/")).sorted().toList();
    }

    @Test
    void aRunEndsOnAnIndexOfEveryReportWithTheRoundTripScoreOfEveryCandidate() throws Exception {
        String index = Files.readString(run.resolve("report/index.html"));
        List<String> pages = new ArrayList<>(List.of("sweep.html", "score.html", "hypothesis.html"));
        trainStages().forEach(t -> pages.add("train-" + t.substring("train/".length()) + ".html"));
        assertEquals(9, pages.size(), "A, B and C trained with two seeds each: " + pages);
        for (String page : pages) {
            assertTrue(index.contains("href=\"" + page + "\""), "index links " + page);
            assertTrue(Files.exists(run.resolve("report").resolve(page)), page);
        }
        // a few steps of training: the runs are still learning and far above the n-gram floor, and the page says so first
        assertTrue(index.contains("SMOKE RUN: "), "the index labels a run that has not finished learning");
        assertTrue(index.indexOf("SMOKE RUN: ") < index.indexOf("The primary endpoint"), "before any verdict");
        List<Row> board = Headroom.leaderboard(spark(), run).collectAsList();
        assertEquals(6, board.size(), "three candidates x two seeds x one plan");
        for (Row r : board) {
            double post = r.getDouble(r.fieldIndex("bpb_post"));
            assertTrue(post > 0 && post < 9, "a finite post-roundtrip bpb: " + post);
            assertEquals(Files.size(run.resolve("artifacts").resolve(r.getString(r.fieldIndex("artifact")))),
                    r.getLong(r.fieldIndex("artifact_bytes")));
        }
        List<VerdictRow> verdicts = RecordTable.readCsv(run.resolve("artifacts/verdicts.csv"), VerdictRow.class);
        assertEquals(List.of(1, 2, 3, 4), verdicts.stream().map(VerdictRow::number).toList());
        for (VerdictRow v : verdicts) {
            assertEquals("512/1024", v.pair());
            assertTrue(List.of("holds", "fails", "inconclusive").contains(v.verdict()), v.toString());
        }
        assertEquals(2, verdicts.get(0).n(), "paired over two seeds: " + verdicts.get(0));
        Manifest.load(run).stages().values().forEach(s -> assertEquals(StageRecord.Status.SUCCEEDED, s.status(), s.stage()));
    }

    @Test
    void anUnchangedRunSkipsEveryStageAndAChangedTrainingBudgetReRunsOnlyWhatDependsOnIt() {
        Map<String, String> first = endTimes();
        long t0 = System.nanoTime();
        Headroom.run(spark(), conf(), run, false);
        assertEquals(first, endTimes(), "nothing re-ran");
        assertTrue((System.nanoTime() - t0) / 1e9 < 30, "a skipped run takes seconds");

        Headroom.run(spark(), conf("train.budget.bytes=7000"), run, false);
        Map<String, String> third = endTimes();
        for (String upstream : List.of("prep", "sweep", "tokenize")) {
            assertEquals(first.get(upstream), third.get(upstream), upstream + " is upstream of the training budget");
        }
        List<String> downstream = new ArrayList<>(trainStages());
        downstream.addAll(List.of("score", "report"));
        for (String stage : downstream) {
            assertNotEquals(first.get(stage), third.get(stage), stage + " depends on it");
        }
    }

    @Test
    void theCompareNoteRunsOnTheFinishedRun() throws Exception {
        try (NoteRunner zeppelin = new NoteRunner(spark())) {
            assertEquals(3, zeppelin.runAll("headroom-compare-candidates.zpln", NoteRunner.settings(Map.of("runDir", NoteRunner.path(run)))));
        }
    }
}
