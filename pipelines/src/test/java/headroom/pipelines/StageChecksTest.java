package headroom.pipelines;

import headroom.pipelines.run.RunLayout;
import headroom.pipelines.run.PipelineStage;
import headroom.pipelines.score.ScoreStage;
import headroom.pipelines.study.StudyStage;
import headroom.pipelines.train.TrainStage;
import headroom.pipelines.tokenize.TokenizeStage;
import headroom.pipelines.predict.RankStage;
import headroom.pipelines.sweep.SweepStage;
import headroom.pipelines.prep.PrepStage;
import headroom.pipelines.conf.ConfException;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every stage checks its conf and its inputs before it starts a Spark job (Spark ML's transformSchema rule): building a
 * stage reads nothing, its plan checks; a bad key or a missing upstream stage fails at once, naming it, and the
 * caller's job group (a Zeppelin paragraph's) saw no job, not even the watcher that driver-only stages keep in it. The study
 * checks its own sections and prep's inputs before its first stage; the sweep's caller checks rank's conf before the sweep.
 */
class StageChecksTest extends SparkTestBase {

    private static final Optional<String> ALL = Optional.empty();

    @Test
    void aBadConfKeyFailsBeforeAnyJobNamingTheKey(@TempDir Path run) {
        Path corpus = run.resolve("corpus.txt");
        String input = "prep.inputs=[\"" + corpus + "\"]";
        assertChecked("prep", "headroom.prep.partitions", () -> Headroom.prep(spark(), conf(input, "prep.partitions=-1"), run, false));
        assertChecked("sweep", "headroom.sweep.max-token-bytes", () -> Headroom.sweep(spark(), conf("sweep.max-token-bytes=1"), run, false));
        assertChecked("tokenize", "headroom.tokenize.partitions", () -> Headroom.tokenize(spark(), conf("tokenize.partitions=-1"), run, false));
        assertChecked("train", "headroom.train.batch-size", () -> Headroom.train(spark(), conf("train.batch-size=0"), run, false, ALL, false));
        assertChecked("score", "headroom.score.val-max-docs", () -> Headroom.score(spark(), conf("score.val-max-docs=-1"), run, false));
        assertChecked("study", "headroom.study.caps", () -> Headroom.study(spark(), conf(input, "study.caps=[125000]"), run, false));
        assertChecked("study", "headroom.train.batch-size", () -> Headroom.study(spark(), conf(input, "train.batch-size=0"), run, false));
    }

    @Test
    void aMissingInputFailsBeforeAnyJobNamingTheStageToRunFirst(@TempDir Path run) throws Exception {
        assertChecked("prep", "matches no file", () -> Headroom.prep(spark(), conf("prep.inputs=[\"" + run.resolve("none.txt") + "\"]"), run, false));
        assertChecked("sweep", "run 'headroom prep' first", () -> Headroom.sweep(spark(), conf(), run, false));
        assertChecked("tokenize", "run 'headroom sweep' first", () -> Headroom.tokenize(spark(), conf(), run, false));
        assertChecked("train", "run 'headroom tokenize' first", () -> Headroom.train(spark(), conf(), run, false, ALL, false));
        assertChecked("score", "run 'headroom prep' first", () -> Headroom.score(spark(), conf(), run, false));
        assertChecked("study", "matches no file", () -> Headroom.study(spark(), conf("prep.inputs=[\"" + run.resolve("none.txt") + "\"]"), run, false));
        assertEquals(List.of(), Arrays.asList(run.toFile().list((dir, name) -> !name.endsWith(".txt"))), "nothing was written");
        assertTrue(Files.notExists(run.resolve("manifest.json")));
    }

    @Test
    void rankIsCheckedBeforeTheSweepsJobs(@TempDir Path run) throws Exception {
        Path corpus = DemoSlice.write(run.resolve("in"), 200);
        String input = "prep.inputs=[\"" + corpus + "\"]";
        Headroom.prep(spark(), conf(input), run, false);
        assertChecked("sweep", "headroom.sweep.predictor.law",
                () -> Headroom.sweep(spark(), conf(input, "sweep.predictor.law=\"" + run.resolve("none.json") + "\""), run, false));
        assertTrue(Files.notExists(new RunLayout(run).sweep()), "the sweep did not run");
    }

    @Test
    void buildingAStageReadsNothingItsPlanChecks(@TempDir Path run) {
        com.typesafe.config.Config conf = conf("prep.inputs=[\"" + run.resolve("none.txt") + "\"]");
        List<PipelineStage<?>> stages = List.of(PrepStage.of(spark(), conf), SweepStage.of(spark(), conf), RankStage.of(spark(), conf),
                TokenizeStage.of(spark(), conf), TrainStage.all(spark(), conf, ALL, false), ScoreStage.of(spark(), conf), StudyStage.of(spark(), conf));
        for (PipelineStage<?> stage : stages) {
            ConfException e = assertThrows(ConfException.class, () -> stage.plan(new RunLayout(run), false), stage.name());
            assertTrue(e.getMessage().contains("none.txt") || e.getMessage().contains("first"), stage.name() + ": " + e.getMessage());
        }
    }

    private static com.typesafe.config.Config conf(String... overrides) {
        return Headroom.conf(null, overrides);
    }

    /** Runs {@code stage} in a job group of its own, as Zeppelin does, and checks it failed naming {@code expected} with no job in the group. */
    private static void assertChecked(String stage, String expected, Executable call) {
        SparkContext sc = spark().sparkContext();
        String group = "stage-checks-" + stage + "-" + System.nanoTime();
        sc.setJobGroup(group, "StageChecksTest " + stage, false);
        try {
            ConfException e = assertThrows(ConfException.class, call, stage);
            assertTrue(e.getMessage().contains(expected), stage + ": " + e.getMessage());
            assertEquals(List.of(), jobsBefore(sc, group), stage + " started Spark jobs before it failed");
        } finally {
            sc.clearJobGroup();
        }
    }

    /**
     * The jobs the group ran before now. Spark's status tracker learns of jobs from its listener bus, a little later:
     * one more job is run in the group and waited for, and once the tracker knows it, it knows every job before it.
     */
    private static List<Integer> jobsBefore(SparkContext sc, String group) {
        try {
            JavaFutureAction<Long> marker = JavaSparkContext.fromSparkContext(sc).parallelize(List.of(1), 1).countAsync();
            marker.get();
            int markerId = marker.jobIds().get(0);
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (Arrays.stream(sc.statusTracker().getJobIdsForGroup(group)).noneMatch(id -> id == markerId)) {
                if (System.nanoTime() > deadline) throw new AssertionError("the status tracker never saw job " + markerId);
                Thread.sleep(20);
            }
            return Arrays.stream(sc.statusTracker().getJobIdsForGroup(group)).filter(id -> id != markerId).boxed().toList();
        } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
            throw new AssertionError(e);
        }
    }
}
