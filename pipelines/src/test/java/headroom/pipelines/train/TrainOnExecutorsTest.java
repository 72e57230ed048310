package headroom.pipelines.train;

import com.typesafe.config.Config;
import headroom.pipelines.DemoSlice;
import headroom.pipelines.Headroom;
import headroom.pipelines.SparkTestBase;
import headroom.pipelines.run.Manifest;
import headroom.pipelines.run.StageRecord;
import headroom.pipelines.run.StageRunner;
import headroom.model.nn.ModelFiles;
import headroom.model.train.TrainLog;
import org.apache.spark.SparkContext;
import org.apache.spark.TaskKilled;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The train stage as one Spark job, one task per (candidate, seed), against the same trainings in the driver: a tiny
 * model, 2 seeds, 60 steps of 4 x 32 tokens, one torch thread each. The parallel run loses one task mid-run (Spark kills
 * it after its first checkpoint, as a lost executor would end it); Spark retries it and it resumes from that checkpoint.
 * Both runs must give the same weights to the byte and the same logs to every digit.
 */
class TrainOnExecutorsTest extends SparkTestBase {

    private static final int STEPS = 60;
    private static final int CHECKPOINT_EVERY = 10;

    @TempDir
    static Path tmp;
    static Path run;
    static Config conf;
    static Map<String, String> sequential;
    static Map<String, List<String>> sequentialLogs;
    static List<StageRunner.Outcome> parallel;
    static Map<Integer, Integer> killedByPartition = new ConcurrentHashMap<>();

    static Config conf(String parallelism) {
        return Headroom.conf(null, "prep.inputs=[\"" + tmp.resolve("in") + "\"]", "prep.split.val-fraction=0.1",
                "sweep.vocab-sizes=[257, 512]", "sweep.reference-tokenizers=[]", "sweep.budget.cap-bytes=80000",
                "sweep.budget.widths=[64]", "sweep.budget.head-modes=[tied]",
                "model.head-size=16", "model.seq-len=32", "model.unique-blocks=1", "model.loops=2",
                "train.candidates=[\"v512-tied\"]", "train.seeds=2", "train.batch-size=4", "train.budget.protocol=tokens",
                "train.budget.tokens=" + STEPS * 4 * 32, "train.warmup-fraction=0.0833", "train.lr=1e-2", "train.min-lr-fraction=0.1", "train.lr-pilot.grid=[]",
                "train.eval-interval=20", "train.eval-documents=8", "train.checkpoint-interval=" + CHECKPOINT_EVERY,
                "train.log-interval=20", "train.threads=1", "train.parallelism=" + parallelism);
    }

    @BeforeAll
    static void trainBothWays() throws Exception {
        DemoSlice.write(tmp.resolve("in"), 1500);
        run = tmp.resolve("run");
        conf = conf("1");
        Headroom.prep(spark(), conf, run, false);
        Headroom.sweep(spark(), conf, run, false);
        Headroom.tokenize(spark(), conf, run, false);
        List<StageRunner.Outcome> inDriver = Headroom.train(spark(), conf, run, false, Optional.empty(), false);
        assertEquals(2, inDriver.size());
        sequential = weightDigests();
        sequentialLogs = logs();

        SparkContext sc = spark().sparkContext();
        Map<Integer, Long> taskByPartition = new ConcurrentHashMap<>();
        SparkListener listener = new SparkListener() {
            @Override
            public void onTaskStart(SparkListenerTaskStart start) {
                taskByPartition.putIfAbsent(start.taskInfo().index(), start.taskInfo().taskId());
            }

            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (end.reason() instanceof TaskKilled) killedByPartition.merge(end.taskInfo().index(), 1, Integer::sum);
            }
        };
        sc.addSparkListener(listener);
        // The first training's task is killed once its first checkpoint is on disk: it dies a few steps later.
        Path firstCheckpoint = run.resolve(".work/train").resolve(modelNames().get(0)).resolve("checkpoints")
                .resolve(String.format("step-%08d", CHECKPOINT_EVERY));
        Thread killer = killTaskWhen(() -> Files.isDirectory(firstCheckpoint) && taskByPartition.containsKey(0), () -> taskByPartition.get(0), 20,
                "test: the executor of this training was lost mid-run");
        try {
            parallel = Headroom.train(spark(), conf("2"), run, true, Optional.empty(), false);
        } finally {
            killer.interrupt();
            sc.removeSparkListener(listener);
        }
    }

    @Test
    void parallelTrainingGivesTheSameWeightsAndLogsAsSequential() throws Exception {
        assertEquals(2, parallel.size());
        parallel.forEach(o -> assertFalse(o.skipped(), o.record().stage()));
        assertEquals(sequential, weightDigests());
        assertEquals(sequentialLogs, logs());
        System.out.println("trained in the driver and on executors, identical: " + sequential);
    }

    @Test
    void theKilledTaskWasRetriedAndResumedFromItsCheckpoint() {
        assertEquals(Map.of(0, 1), killedByPartition, "exactly one attempt of the first training was killed");
        Map<String, Object> first = parallel.get(0).record().outputs();
        assertEquals(1, first.get("task_attempt"), first.toString());
        long resumedFrom = ((Number) first.get("resumed_from_step")).longValue();
        assertTrue(resumedFrom >= CHECKPOINT_EVERY && resumedFrom < STEPS && resumedFrom % CHECKPOINT_EVERY == 0, first.toString());
        Map<String, Object> second = parallel.get(1).record().outputs();
        assertEquals(0, second.get("task_attempt"), second.toString());
        assertEquals(0L, second.get("resumed_from_step"), second.toString());
    }

    @Test
    void theDriverRecordsEachTrainingAndNothingHalfWrittenIsLeft() throws IOException {
        Manifest manifest = Manifest.load(run);
        for (StageRunner.Outcome o : parallel) {
            StageRecord r = manifest.stage(o.record().stage()).orElseThrow();
            assertEquals(StageRecord.Status.SUCCEEDED, r.status());
            assertEquals(o.record().fingerprint(), r.fingerprint());
        }
        Path staging = run.resolve(StageRunner.STAGING);
        try (Stream<Path> files = Files.exists(staging) ? Files.walk(staging) : Stream.empty()) {
            assertEquals(List.of(), files.filter(Files::isRegularFile).toList(), "staging is empty");
        }
        try (Stream<Path> work = Files.list(run.resolve(".work/train"))) {
            assertEquals(List.of(), work.toList(), "work dirs go once their model is published");
        }
        try (Stream<Path> models = Files.list(run.resolve("models"))) {
            assertEquals(modelNames(), models.map(p -> p.getFileName().toString()).sorted().toList(), "no .old or partial model folders");
        }
    }

    private static List<String> modelNames() {
        List<String> names = new ArrayList<>();
        for (String stage : Manifest.load(run).stages().keySet()) {
            if (stage.startsWith(TrainStage.NAME_PREFIX)) names.add(stage.substring(TrainStage.NAME_PREFIX.length()));
        }
        return names.stream().sorted().toList();
    }

    private static Map<String, String> weightDigests() throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        for (String m : modelNames()) {
            byte[] weights = Files.readAllBytes(run.resolve("models").resolve(m).resolve(ModelFiles.WEIGHTS_FILE));
            out.put(m, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(weights)));
        }
        return out;
    }

    /** Each model's train log without its timing and memory columns: step, tokens, losses, bpb, lr. */
    private static Map<String, List<String>> logs() throws IOException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String m : modelNames()) {
            out.put(m, Files.readAllLines(run.resolve("models").resolve(m).resolve(TrainLog.FILE)).stream()
                    .map(l -> String.join(",", List.of(l.split(",", -1)).subList(0, 6))).toList());
        }
        return out;
    }
}
