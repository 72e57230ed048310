package headroom.pipelines.notebooks;

import headroom.pipelines.DemoSlice;
import headroom.pipelines.Headroom;
import headroom.pipelines.SparkTestBase;
import headroom.pipelines.prep.PrepStage;
import headroom.pipelines.run.Manifest;
import headroom.pipelines.run.StageRecord;
import headroom.pipelines.run.StageRunner;
import headroom.scoring.ScoreRows.LeaderboardRow;
import headroom.scoring.ScoreRows.RefinementRow;
import headroom.pipelines.spark.JobScope;
import headroom.pipelines.spark.RecordTable;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Zeppelin notes as a real Zeppelin 0.12.1 server runs them. A Scala REPL accepts more than
 * Zeppelin: a %spark.conf paragraph "runs" in a REPL but fails in Zeppelin once the shared
 * interpreter is up, and a REPL has no job groups to take over. So the structure is checked against
 * Zeppelin's rules, the notes run twice in one interpreter session in both orders under Zeppelin's
 * per-paragraph job groups, and a stage is cancelled through the caller's group.
 */
class NotebooksTest extends SparkTestBase {

    /** Comments, blank lines and vals: a paragraph a user edits without reading code. */
    private static final Pattern PLAIN_SETTING = Pattern.compile("\\s*(//.*)?|val \\w+ = .+");

    static List<Path> notes() throws Exception {
        try (Stream<Path> s = Files.list(NoteRunner.notebooks())) {
            return s.filter(p -> p.toString().endsWith(".zpln")).sorted().toList();
        }
    }

    @Test
    void everyNoteFollowsZeppelinsRulesForASharedInterpreter() throws Exception {
        List<Path> notes = notes();
        assertEquals(2, notes.size(), "the two notes: explore a sweep, compare candidates");
        for (Path file : notes) {
            ZeppelinNote note = ZeppelinNote.read(file);
            assertEquals("0.12.1", note.version(), file.toString());
            ZeppelinNote.Paragraph first = note.paragraphs().get(0);
            assertEquals("%spark", first.interpreter(), file + ": the first paragraph holds the settings");
            assertTrue(first.title().startsWith("Settings"), first.title());
            for (String line : first.code().lines().toList()) {
                assertTrue(PLAIN_SETTING.matcher(line).matches(), file + ": the settings paragraph holds plain settings only, not: " + line);
            }
            for (ZeppelinNote.Paragraph p : note.paragraphs()) {
                // Zeppelin applies %spark.conf only before the interpreter process starts; the Spark interpreter is
                // shared, so such a paragraph fails "Run all" as soon as any note has run.
                assertNotEquals("%spark.conf", p.interpreter(), file + ": '" + p.title() + "' would fail once the interpreter runs");
                assertTrue(List.of("%spark", "%spark.sql", "%md").contains(p.interpreter()), p.interpreter());
                assertEquals("READY", p.status(), file + ": " + p.title());
                assertFalse(p.hasResults(), file + ": results are stripped");
                assertFalse(p.code().contains("/opt/"), file + ": '" + p.title() + "' hard-codes a path under /opt");
                assertFalse(p.code().contains(".jar"), file + ": the jar is configured in the interpreter setting (README), not in a note");
            }
        }
    }

    @Test
    void bothNotesRunTwiceInOneInterpreterSessionInEitherOrder(@TempDir Path tmp) throws Exception {
        Path corpus = DemoSlice.write(tmp, 1500);
        Path sweepRun = tmp.resolve("sweep-run");
        Path scoredRun = scoredRunFixture(spark(), tmp.resolve("scored-run"));
        String sweepSettings = NoteRunner.settings(Map.of("corpus", NoteRunner.literal(corpus), "runDir", NoteRunner.path(sweepRun)));
        String compareSettings = NoteRunner.settings(Map.of("runDir", NoteRunner.path(scoredRun)));
        try (NoteRunner zeppelin = new NoteRunner(spark())) {
            assertEquals(3, zeppelin.runAll("headroom-compare-candidates.zpln", compareSettings));
            assertEquals(3, zeppelin.runAll("headroom-explore-sweep.zpln", sweepSettings));
            assertTrue(Files.exists(sweepRun.resolve("report/sweep.html")), "the note ran the real sweep");
            assertEquals(5, spark().table("sweep_metrics").count(), "five vocabulary sizes");
            assertEquals(3, zeppelin.runAll("headroom-explore-sweep.zpln", sweepSettings), "the same note again");
            assertEquals(3, zeppelin.runAll("headroom-compare-candidates.zpln", compareSettings), "the other note after it");
            assertEquals(2, spark().table("leaderboard").count());
        }
    }

    @Test
    void cancellingTheCallersJobGroupStopsTheStageAndKeepsNothing(@TempDir Path tmp) throws Exception {
        SparkSession spark = spark();
        Path corpus = DemoSlice.write(tmp, 300);
        Path runDir = tmp.resolve("run");
        var conf = Headroom.conf(null, "prep.inputs=[\"" + corpus + "\"]");
        String group = "zeppelin|anonymous|2HEADROOMSWEEP|paragraph_cancelled";
        AtomicReference<String> cancelledAt = new AtomicReference<>();
        AtomicInteger jobsAfterCancel = new AtomicInteger();
        SparkListener cancelOnFirstJob = new SparkListener() {
            @Override
            public void onJobStart(SparkListenerJobStart job) {
                if (!group.equals(job.properties().getProperty(NoteRunner.GROUP))) return;
                // What Zeppelin's cancel button does: cancel the paragraph's group while a job of it runs.
                if (cancelledAt.compareAndSet(null, "job " + job.jobId())) spark.sparkContext().cancelJobGroup(group);
                else jobsAfterCancel.incrementAndGet();
            }
        };
        spark.sparkContext().setJobGroup(group, "Started by: anonymous", false);
        spark.sparkContext().addSparkListener(cancelOnFirstJob);
        try {
            RuntimeException e = assertThrows(JobScope.StageCancelledException.class, () -> Headroom.prep(spark, conf, runDir, false));
            assertEquals("prep cancelled; nothing written; run again to resume", e.getMessage(), "what a notebook shows, in one line");
            spark.sparkContext().listenerBus().waitUntilEmpty();
            assertTrue(String.valueOf(e.getMessage()).contains("cancel"), e.toString());
            assertEquals(0, jobsAfterCancel.get(), "the stage stopped at the cancelled job (" + cancelledAt + "), it started no other");
            assertEquals(group, spark.sparkContext().getLocalProperty(NoteRunner.GROUP), "the caller's group is still set");
            assertEquals("Started by: anonymous", spark.sparkContext().getLocalProperty("spark.job.description"), "and its description");
            StageRecord prep = Manifest.load(runDir).stage(PrepStage.NAME).orElseThrow();
            assertEquals(StageRecord.Status.FAILED, prep.status());
            assertFalse(Files.exists(runDir.resolve("corpus")), "no output published");
            assertFalse(Files.exists(runDir.resolve(StageRunner.STAGING)), "nothing half-written left under .staging");
        } finally {
            spark.sparkContext().removeSparkListener(cancelOnFirstJob);
        }
        try {
            // A cancel is not sticky: the user runs the paragraph again in the same group and it finishes.
            assertEquals(StageRecord.Status.SUCCEEDED, Headroom.prep(spark, conf, runDir, false).record().status());
            assertEquals(group, spark.sparkContext().getLocalProperty(NoteRunner.GROUP));
        } finally {
            spark.sparkContext().clearJobGroup();
        }
    }

    @Test
    void withoutACallersGroupHeadroomUsesItsOwnAndClearsItAfterwards(@TempDir Path tmp) throws Exception {
        SparkSession spark = spark();
        spark.sparkContext().clearJobGroup();
        List<String> groups = new java.util.concurrent.CopyOnWriteArrayList<>();
        SparkListener record = new SparkListener() {
            @Override
            public void onJobStart(SparkListenerJobStart job) {
                groups.add(String.valueOf(job.properties().getProperty(NoteRunner.GROUP)));
            }
        };
        spark.sparkContext().addSparkListener(record);
        try {
            Path corpus = DemoSlice.write(tmp, 300);
            Headroom.prep(spark, Headroom.conf(null, "prep.inputs=[\"" + corpus + "\"]"), tmp.resolve("run"), false);
            spark.sparkContext().listenerBus().waitUntilEmpty();
        } finally {
            spark.sparkContext().removeSparkListener(record);
        }
        assertFalse(groups.isEmpty());
        assertTrue(groups.stream().allMatch(g -> g.startsWith("headroom-prep-")), groups.toString());
        assertEquals(null, spark.sparkContext().getLocalProperty(NoteRunner.GROUP), "no group left behind");
        assertEquals(null, spark.sparkContext().getLocalProperty("spark.job.description"));
    }

    @Test
    void cancellingTheGroupDuringDriverOnlyWorkInterruptsItAndTheParagraphSaysSoInOneLine(@TempDir Path tmp) {
        SparkSession spark = spark();
        String group = "zeppelin|anonymous|2HEADROOMSWEEP|paragraph_driver_only";
        SparkListener cancelWhenTheSentinelWaits = new SparkListener() {
            @Override
            public void onJobStart(SparkListenerJobStart job) {
                // The work below submits no job of its own: the first job in the group is the cancel sentinel.
                if (group.equals(job.properties().getProperty(NoteRunner.GROUP))) spark.sparkContext().cancelJobGroup(group);
            }
        };
        spark.sparkContext().setJobGroup(group, "Started by: anonymous", false);
        spark.sparkContext().addSparkListener(cancelWhenTheSentinelWaits);
        try (ScalaParagraphs repl = new ScalaParagraphs(spark)) {
            // Stands for BPE or model training: driver-only work that only an interrupt stops.
            String shown = repl.runFailing("sweep", String.join("\n",
                    "import headroom.pipelines.spark.JobScope",
                    "JobScope.run(spark, java.nio.file.Path.of(\"" + tmp + "\"), \"sweep\", () => JobScope.watchForCancel(() => {",
                    "  while (true) Thread.sleep(20)",
                    "  0",
                    "}))"));
            // The REPL (Zeppelin's %spark) names the exception's class, then its message: one line, no stack trace.
            assertEquals(1, shown.strip().lines().count(), "what the paragraph shows: one line\n" + shown);
            assertTrue(shown.strip().endsWith(": sweep cancelled; nothing written; run again to resume"), shown);
            assertFalse(Thread.currentThread().isInterrupted(), "the interrupt was Headroom's own: the caller's thread goes on clean");
            assertEquals(group, spark.sparkContext().getLocalProperty(NoteRunner.GROUP));
        } finally {
            spark.sparkContext().removeSparkListener(cancelWhenTheSentinelWaits);
            spark.sparkContext().clearJobGroup();
        }
    }

    @Test
    void aStageThatFinishesLetsItsSentinelEndWithoutAKill(@TempDir Path tmp) throws Exception {
        SparkSession spark = spark();
        String group = "zeppelin|anonymous|2HEADROOMTRAIN|paragraph_finishes";
        List<String> sentinelEnds = new java.util.concurrent.CopyOnWriteArrayList<>();
        SparkListener record = new SparkListener() {
            @Override
            public void onTaskEnd(org.apache.spark.scheduler.SparkListenerTaskEnd end) {
                sentinelEnds.add(end.reason().getClass().getSimpleName());
            }
        };
        spark.sparkContext().setJobGroup(group, "Started by: anonymous", false);
        spark.sparkContext().addSparkListener(record);
        try {
            int answer = JobScope.run(spark, tmp, "driver-work", () -> JobScope.watchForCancel(() -> {
                long deadline = System.currentTimeMillis() + 30_000;
                while (spark.sparkContext().statusTracker().getActiveJobIds().length == 0 && System.currentTimeMillis() < deadline) Thread.sleep(20);
                return 42;
            }));
            assertEquals(42, answer);
            spark.sparkContext().listenerBus().waitUntilEmpty();
            // A killed sentinel is Spark's WARN "Lost task ... TaskKilled (Stage cancelled)" after every successful stage.
            assertEquals(List.of("Success$"), sentinelEnds, "the sentinel's one task ended on its own");
            assertFalse(Files.exists(tmp.resolve(".work/cancel-watch")), "the release file is gone");
        } finally {
            spark.sparkContext().removeSparkListener(record);
            spark.sparkContext().clearJobGroup();
        }
    }

    @Test
    void theCancelWatchersOwnJobIsNotCountedAsOtherWork(@TempDir Path tmp) throws Exception {
        SparkSession spark = spark();
        spark.sparkContext().setJobGroup("zeppelin|anonymous|2HEADROOMTRAIN|paragraph_watch", "Started by: anonymous", false);
        try {
            int[] seen = JobScope.run(spark, tmp, "driver-work", () -> JobScope.watchForCancel(() -> {
                long deadline = System.currentTimeMillis() + 30_000;
                while (spark.sparkContext().statusTracker().getActiveJobIds().length == 0 && System.currentTimeMillis() < deadline) Thread.sleep(20);
                return new int[]{spark.sparkContext().statusTracker().getActiveJobIds().length, JobScope.otherActiveJobs(spark.sparkContext())};
            }));
            assertEquals(1, seen[0], "the sentinel job runs while the driver works");
            assertEquals(0, seen[1], "train's 'Spark jobs are running' warning does not count it");
        } finally {
            spark.sparkContext().clearJobGroup();
        }
    }

    @Test
    void cancelRequestedSeesAnInterruptedThread() {
        assertFalse(JobScope.cancelRequested());
        Thread.currentThread().interrupt();
        try {
            assertTrue(JobScope.cancelRequested(), "training's stop request reads this at every step");
        } finally {
            Thread.interrupted();
        }
    }

    /** A run directory with the score's two tables, rows built from the real record types (the note reads only these). */
    private static Path scoredRunFixture(SparkSession spark, Path runDir) throws Exception {
        Path artifacts = runDir.resolve("artifacts");
        Files.createDirectories(artifacts);
        RecordTable.write(spark, List.of(sample(LeaderboardRow.class, 1), sample(LeaderboardRow.class, 2)), LeaderboardRow.class,
                artifacts.resolve("leaderboard"));
        RecordTable.write(spark, List.of(sample(RefinementRow.class, 1), sample(RefinementRow.class, 2)), RefinementRow.class,
                artifacts.resolve("refinement"));
        return runDir;
    }

    /** A record whose every component holds {@code n} (as text for strings, true for booleans). */
    private static <R extends Record> R sample(Class<R> type, int n) throws Exception {
        RecordComponent[] cs = type.getRecordComponents();
        Object[] values = new Object[cs.length];
        Class<?>[] types = new Class<?>[cs.length];
        for (int i = 0; i < cs.length; i++) {
            Class<?> t = cs[i].getType();
            types[i] = t;
            values[i] = t == String.class ? cs[i].getName() + n : t == int.class ? n : t == long.class ? (long) n
                    : t == double.class ? (double) n : t == boolean.class ? Boolean.TRUE : null;
            if (values[i] == null) throw new IllegalStateException("no sample value for " + t + " in " + type);
        }
        return type.getDeclaredConstructor(types).newInstance(values);
    }
}
