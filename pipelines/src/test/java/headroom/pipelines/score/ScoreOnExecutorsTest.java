package headroom.pipelines.score;

import headroom.model.CandidateNames;
import headroom.pipelines.run.RunLayout;
import com.typesafe.config.Config;
import headroom.core.io.Sha256;
import headroom.pipelines.DemoSlice;
import headroom.pipelines.Headroom;
import headroom.pipelines.SparkTestBase;
import headroom.pipelines.conf.ConfException;
import headroom.pipelines.run.StageRunner;
import org.apache.spark.SparkContext;
import org.apache.spark.TaskKilled;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.jdk.javaapi.CollectionConverters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The score stage as one Spark job, one task per (model, plan), against the same scoring in the driver: two tiny models
 * (v257 and v512, 20 steps each), two fixed plans and one allocation target, one torch thread. The parallel run loses
 * the first task's attempt after it wrote its artifact (Spark kills it, as a lost executor would end it); Spark retries
 * it. Both runs must give the same tables to every digit and the same artifact files to the byte.
 */
class ScoreOnExecutorsTest extends SparkTestBase {

    static final String INT8 = "emb=int8,attn=int8,mlp=int8,norm=fp16";
    static final String INT6 = "emb=int8,attn=int6,mlp=int6,norm=fp16,clip=std:4,outliers=0.001";

    @TempDir
    static Path tmp;
    static Path run;
    static List<String> overrides;
    static Map<String, String> inDriver;
    static Map<String, String> onExecutors;
    static StageRunner.Outcome parallel;
    static Map<Integer, Integer> killedByPartition = new ConcurrentHashMap<>();

    static Config conf(String parallelism, String... extra) {
        List<String> o = new ArrayList<>(overrides);
        o.add("score.parallelism=" + parallelism);
        o.addAll(List.of(extra));
        return Headroom.conf(null, o.toArray(String[]::new));
    }

    @BeforeAll
    static void scoreBothWays() throws Exception {
        DemoSlice.WithHeldout texts = DemoSlice.writeWithHeldout(tmp);
        Path corpus = texts.corpus(), heldout = texts.heldout();
        overrides = List.of("prep.inputs=[\"" + corpus + "\"]", "sweep.vocab-sizes=[257, 512]", "sweep.reference-tokenizers=[]",
                "sweep.heldout=\"" + heldout + "\"", "sweep.budget.cap-bytes=300000", "sweep.budget.widths=[64]", "model.head-size=16",
                "model.seq-len=32", "train.batch-size=16", "train.device=cpu", "train.threads=1", "score.eval-loops=[1, 3]",
                "score.precision-plans=[\"" + INT8 + "\", \"" + INT6 + "\"]", "score.allocate.targets=[\"60%\"]",
                "score.allocate.calibration-tokens=512", "score.baselines=false");
        run = tmp.resolve("run");
        Config conf = conf("1");
        Headroom.prep(spark(), conf, run, false);
        Headroom.sweep(spark(), conf, run, false);
        for (int vocabSize : List.of(257, 512)) train(vocabSize);

        assertFalse(Headroom.score(spark(), conf, run, false).skipped());
        inDriver = outputs();

        SparkContext sc = spark().sparkContext();
        Map<Integer, Long> firstAttempt = new ConcurrentHashMap<>();
        Set<Integer> scoreStages = ConcurrentHashMap.newKeySet(); // the score job's, not the stage's Parquet reads and writes
        SparkListener listener = new SparkListener() {
            @Override
            public void onJobStart(SparkListenerJobStart job) {
                if (String.valueOf(job.properties().getProperty("spark.job.description")).startsWith("headroom score:")) {
                    scoreStages.addAll(CollectionConverters.asJava(job.stageIds()).stream().map(id -> (Integer) id).toList());
                }
            }

            @Override
            public void onTaskStart(SparkListenerTaskStart start) {
                if (scoreStages.contains(start.stageId())) firstAttempt.putIfAbsent(start.taskInfo().index(), start.taskInfo().taskId());
            }

            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (scoreStages.contains(end.stageId()) && end.reason() instanceof TaskKilled) {
                    killedByPartition.merge(end.taskInfo().index(), 1, Integer::sum);
                }
            }
        };
        sc.addSparkListener(listener);
        // The first pair's first attempt is killed once its artifact is written in its attempt folder, before it publishes.
        Path attempt = run.resolve(StageRunner.STAGING).resolve(ScoreStage.NAME).resolve(".score-tasks").resolve("0-a0");
        Thread killer = killTaskWhen(() -> firstAttempt.containsKey(0) && hasArtifact(attempt), () -> firstAttempt.get(0), 5,
                "test: the executor of this score task was lost mid-run");
        try {
            parallel = Headroom.score(spark(), conf("2"), run, true);
        } finally {
            killer.interrupt();
            sc.removeSparkListener(listener);
        }
        onExecutors = outputs();
    }

    @Test
    void scoringOnExecutorsGivesTheDriversTablesAndArtifactsToTheByte() {
        assertFalse(parallel.skipped());
        assertEquals(6, inDriver.keySet().stream().filter(f -> f.endsWith(".hra")).count(), "2 models x (2 plans + 1 allocation target)");
        assertEquals(inDriver, onExecutors);
        System.out.println("scored in the driver and on executors, identical: " + inDriver.keySet());
    }

    @Test
    void theKilledTaskWasRetriedAndNothingHalfWrittenIsLeft() throws IOException {
        assertEquals(Map.of(0, 1), killedByPartition, "exactly one attempt of the first (model, plan) was killed");
        Path staging = run.resolve(StageRunner.STAGING);
        try (Stream<Path> files = Files.exists(staging) ? Files.walk(staging) : Stream.empty()) {
            assertEquals(List.of(), files.filter(Files::isRegularFile).toList(), "staging is empty");
        }
        try (Stream<Path> files = Files.list(run.resolve("artifacts"))) {
            List<String> hidden = files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".") || n.endsWith(".tmp")
                    || n.endsWith(".attempt")).toList();
            assertEquals(List.of(), hidden, "no temp or partial files in artifacts/");
        }
    }

    @Test
    void theParallelismIsNotPartOfTheFingerprint() {
        assertTrue(Headroom.score(spark(), conf("1"), run, false).skipped(), "scored at parallelism 2, up to date at 1");
    }

    @Test
    void aBadParallelismIsAnErrorNamingTheKey() {
        for (String bad : List.of("0", "two", "-1")) {
            ConfException e = assertThrows(ConfException.class, () -> ScoreConf.from(conf(bad)));
            assertTrue(e.getMessage().contains("headroom.score.parallelism") && e.getMessage().contains("auto"), e.getMessage());
        }
        ConfException e = assertThrows(ConfException.class, () -> ScoreStage.of(spark(), conf("3")).plan(new RunLayout(run), false));
        assertTrue(e.getMessage().contains("headroom.score.parallelism = 3") && e.getMessage().contains("local[2]")
                && e.getMessage().contains("at most 2"), e.getMessage());
    }

    private static boolean hasArtifact(Path dir) {
        if (!Files.isDirectory(dir)) return false;
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(p -> p.getFileName().toString().endsWith(".hra") && !p.getFileName().toString().startsWith("."));
        } catch (IOException e) {
            return false; // removed while listed
        }
    }

    /** Every file of artifacts/ but the Parquet copies, by name: the text of the tables and JSON, the SHA-256 of the artifacts. */
    private static Map<String, String> outputs() throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(run.resolve("artifacts"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String name = f.getFileName().toString();
                out.put(name, name.endsWith(".hra") ? Sha256.of(f) : Files.readString(f));
            }
        }
        return out;
    }

    /** 20 steps of a d=32 model on the train split, under the sweep's tokenizer of {@code vocabSize} ids. */
    private static void train(int vocabSize) throws Exception {
        TinyTrainedModel.train(spark(), run, vocabSize, new RunLayout(run).model(CandidateNames.vocab(vocabSize) + "-tied-d32-1x2"));
    }
}
