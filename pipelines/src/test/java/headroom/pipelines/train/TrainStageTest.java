package headroom.pipelines.train;

import headroom.pipelines.run.RunLayout;
import headroom.core.io.Sha256;
import headroom.model.train.TrainLog;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import headroom.pipelines.DemoSlice;
import headroom.pipelines.Headroom;
import headroom.pipelines.SparkTestBase;
import headroom.pipelines.conf.ConfException;
import headroom.pipelines.run.Manifest;
import headroom.pipelines.run.StageContext;
import headroom.pipelines.run.StageRecord;
import headroom.pipelines.run.StageRunner;
import headroom.pipelines.tokenize.TokenizeStage;
import headroom.pipelines.train.TrainLogRows.Row;
import headroom.model.ModelConfig;
import headroom.core.WeightTensor;
import headroom.model.nn.ModelFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import headroom.pipelines.sweep.RecipeConf;
import headroom.pipelines.sweep.SweepRows.Candidate;
import headroom.pipelines.tokenize.CandidateSelection;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One prepared, swept and tokenized demo slice; the candidate v512-tied (filling an 80 kB cap, 2 loops)
 * trained with one seed on a budget of 40 steps of 4 x 32 tokens (tokens protocol) once in {@link #trainOnce}.
 */
class TrainStageTest extends SparkTestBase {

    private static final int STEPS = 40;
    static String candidate;
    static String modelName;

    @TempDir
    static Path tmp;
    static Path run;
    static Path corpus;
    static Config conf;
    static StageRunner.Outcome first;
    static List<Row> uninterrupted;

    static Config conf(Path corpus, String... extra) {
        List<String> overrides = new ArrayList<>(List.of("prep.inputs=[\"" + corpus + "\"]", "prep.split.val-fraction=0.1",
                "sweep.vocab-sizes=[257, 512]", "sweep.reference-tokenizers=[]", "sweep.budget.cap-bytes=80000",
                "sweep.budget.widths=[64]", "sweep.budget.head-modes=[tied]",
                "model.head-size=16", "model.seq-len=32", "model.unique-blocks=1", "model.loops=2",
                "train.candidates=[\"v512-tied\"]", "train.batch-size=4", "train.budget.protocol=tokens",
                "train.budget.tokens=" + STEPS * 4 * 32, "train.seeds=1", "train.warmup-fraction=0.125",
                "train.lr-pilot.grid=[3e-3, 1e-2]", "train.lr-pilot.steps=10", "train.lr-pilot.holdout-documents=16", "train.min-lr-fraction=0.1", "train.eval-interval=10", "train.eval-documents=16",
                "train.checkpoint-interval=10", "train.log-interval=10", "train.threads=1"));
        overrides.addAll(List.of(extra));
        return Headroom.conf(null, overrides.toArray(String[]::new));
    }

    @BeforeAll
    static void trainOnce() throws Exception {
        corpus = DemoSlice.write(tmp.resolve("in"), 1500);
        conf = conf(corpus);
        run = tmp.resolve("run");
        Headroom.prep(spark(), conf, run, false);
        Headroom.sweep(spark(), conf, run, false);
        new StageRunner(run, false).start(TokenizeStage.of(spark(), conf));
        candidate = CandidateSelection.select(List.of("v512-tied"), CandidateSelection.read(new RunLayout(run))).get(0).name();
        modelName = candidate + "-s1337";
        List<StageRunner.Outcome> outcomes = Headroom.train(spark(), conf, run, false, Optional.empty(), false);
        assertEquals(1, outcomes.size());
        first = outcomes.get(0);
        uninterrupted = TrainLogRows.read(model().resolve(TrainLog.FILE));
    }

    private static Path model() {
        return run.resolve("models").resolve(modelName);
    }

    @Test
    void writesTheModelItsLogResultAndLossCurve() throws Exception {
        assertFalse(first.skipped());
        assertEquals("train/" + modelName, first.record().stage());
        for (String f : List.of("model.json", "weights.bin", "train_log.csv", "train_state.json", "result.json", "loss.svg", "run.json")) {
            assertTrue(Files.isRegularFile(model().resolve(f)), f);
        }
        // the model names the tokenizer it was trained with, so score can refuse another
        assertEquals(Optional.of(Sha256.of(run.resolve("sweep/tokenizers/v512/tokenizer.json"))), TokenizerProvenance.recorded(model()));
        ModelConfig m = ModelFiles.readConfig(model());
        Candidate c = CandidateSelection.read(new RunLayout(run)).stream().filter(x -> x.name().equals(candidate)).findFirst().orElseThrow();
        assertEquals(CandidateModel.config(c, RecipeConf.from(conf)), m, "the sweep's shape and T");
        assertEquals(List.of(512, 2, 32), List.of(m.vocabSize(), m.loops(), m.maxSeqLen()));
        TrainRun runJson = TrainRun.read(model()).orElseThrow();
        assertEquals(List.of(candidate, 1337L, "tokens 5120", 32, (long) STEPS, 5120L, Math.round(5120 / c.trainTokensPerByte())),
                List.of(runJson.candidate(), runJson.seed(), runJson.protocol(), runJson.seqLen(), runJson.steps(), runJson.tokensSeen(),
                        runJson.bytesSeen()));
        JsonNode result = new ObjectMapper().readTree(model().resolve("result.json").toFile());
        assertEquals(STEPS, result.get("result").get("steps").asLong());
        assertEquals(STEPS * 4L * 32, result.get("result").get("tokens").asLong());
        assertEquals("maxSteps", result.get("result").get("stopReason").asText());
        assertEquals(m.toMap().size(), result.get("model").size());
        // the convergence tail: the last 10% of 40 steps starts at step 36, evaluated although eval-interval is 10
        double atTail = uninterrupted.stream().filter(r -> r.step() == 36 && r.evaluated()).findFirst().orElseThrow().valBpb();
        double atEnd = uninterrupted.get(uninterrupted.size() - 1).valBpb();
        assertEquals(atTail - atEnd, result.get("tail_move_bpb").asDouble(), 1e-12);
        assertEquals(Math.abs(atTail - atEnd) > 0.01, result.get("still_learning").asBoolean());
        // the learning rate pilot: of the grid, the rate with the lowest bpb on the train split's holdout, which the run trained at
        JsonNode pilot = result.get("lrPilot");
        List<Double> grid = new ArrayList<>(), holdout = new ArrayList<>();
        pilot.get("grid").forEach(x -> grid.add(x.asDouble()));
        pilot.get("holdoutBpb").forEach(x -> holdout.add(x.asDouble()));
        assertEquals(List.of(3e-3, 1e-2), grid);
        assertEquals(grid.get(holdout.indexOf(java.util.Collections.min(holdout))), result.get("lr").asDouble(), pilot.toString());
        assertEquals(result.get("lr").asDouble(), result.get("train").get("lr").asDouble(), "trained at the pilot's rate");
        assertEquals(0.1 * result.get("lr").asDouble(), result.get("train").get("minLr").asDouble(), 1e-15);
        assertEquals(5, result.get("train").get("warmupSteps").asInt(), "warmup-fraction 0.125 of 40 steps");
        try (var pilots = Files.list(run.resolve(".work/train/lr-pilot"))) {
            assertTrue(pilots.anyMatch(p -> p.getFileName().toString().startsWith(candidate + "-")), "the pilot's result is kept for the other seeds");
        }
        String svg = Files.readString(model().resolve("loss.svg"));
        assertTrue(svg.startsWith("<svg") && svg.contains("val bits per byte") && svg.contains("train loss"), svg.substring(0, 80));
        assertTrue(Files.readString(run.resolve("report/train-" + modelName + ".html")).contains(svg.strip()));
        assertFalse(Files.exists(run.resolve(".work/train").resolve(modelName)), "the work dir goes once the model is published");
        System.out.println("train " + modelName + ": " + first.record().outputs());
    }

    @Test
    void valBitsPerByteFallOverTraining() {
        List<Row> evals = uninterrupted.stream().filter(Row::evaluated).toList();
        // every eval-interval, the convergence tail's start (36) and the end
        assertEquals(List.of(0L, 10L, 20L, 30L, 36L, 40L), evals.stream().map(Row::step).toList());
        double start = evals.get(0).valBpb(), end = evals.get(evals.size() - 1).valBpb();
        assertTrue(end < start - 0.3, "val bpb must fall: " + start + " -> " + end);
        assertEquals(STEPS, uninterrupted.stream().filter(Row::trained).count());
    }

    @Test
    void aSecondRunIsSkipped() {
        StageRunner.Outcome again = Headroom.train(spark(), conf, run, false, Optional.empty(), false).get(0);
        assertTrue(again.skipped());
    }

    @Test
    void aStoppedRunResumesToTheUninterruptedResult() throws Exception {
        TrainStage stopped = TrainStage.stages(conf, run, true, Optional.empty(), false, step -> step == 17).get(0);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new StageRunner(run, true).run(stopped));
        assertTrue(e.getMessage().contains("stopped at step 17"), e.getMessage());
        assertTrue(stopped.workDir().hasCheckpointOf(Manifest.load(run).stage(stopped.name()).orElseThrow().fingerprint()));
        // As a kill -9 would leave it: the manifest still says RUNNING.
        StageRecord failed = Manifest.load(run).stage(stopped.name()).orElseThrow();
        Manifest.load(run).put(new StageRecord(failed.stage(), StageRecord.Status.RUNNING, failed.fingerprint(), failed.codeVersion(),
                failed.conf(), failed.inputs(), failed.startedAt(), null, 0, null, null));

        StageRunner.Outcome resumed = Headroom.train(spark(), conf, run, false, Optional.empty(), false).get(0);
        assertFalse(resumed.skipped());
        assertEquals(17L, resumed.record().outputs().get("resumed_from_step"));
        assertEquals(deterministic(uninterrupted), deterministic(TrainLogRows.read(model().resolve(TrainLog.FILE))));
    }

    @Test
    void resumeWithoutACheckpointIsAClearError() {
        TrainStage stage = TrainStage.stages(conf, run, true, Optional.empty(), true, step -> false).get(0);
        // Straight to execute, so that the manifest keeps the other tests' record.
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> stage.execute(new StageContext(run, tmp.resolve("staging-resume"))));
        assertTrue(e.getMessage().contains("--resume") && e.getMessage().contains("no checkpoint"), e.getMessage());
    }

    @Test
    void aDivergingCandidateIsRecordedAsDivergedInsteadOfFailingTheRun() throws Exception {
        // A run stopped at step 3 leaves its checkpoint; a NaN written into that checkpoint's weights
        // makes the resumed run's next loss NaN, as a diverging run's would be.
        TrainStage stopped = TrainStage.stages(conf, run, true, Optional.empty(), false, step -> step == 3).get(0);
        assertThrows(IllegalStateException.class, () -> stopped.execute(new StageContext(run, tmp.resolve("staging-stopped"))));
        Path checkpoint = stopped.workDir().dir().resolve("checkpoints/step-00000003");
        List<WeightTensor> weights = new ArrayList<>(ModelFiles.readWeights(checkpoint));
        WeightTensor first = weights.get(0);
        float[] poisoned = first.values().clone();
        poisoned[0] = Float.NaN;
        weights.set(0, new WeightTensor(first.name(), first.tensorClass(), first.shape(), poisoned));
        ModelFiles.write(checkpoint, ModelFiles.readConfig(checkpoint), weights);

        TrainStage stage = TrainStage.stages(conf, run, false, Optional.empty(), true, step -> false).get(0);
        Path staging = tmp.resolve("staging-diverged");
        java.util.Map<String, Object> counts = stage.execute(new StageContext(run, staging));
        assertEquals(Boolean.TRUE, counts.get(TrainStage.DIVERGED));
        Path published = staging.resolve(stage.modelOutput());
        JsonNode diverged = new ObjectMapper().readTree(published.resolve(TrainReport.DIVERGED_FILE).toFile());
        assertEquals(3, diverged.get("step").asLong(), diverged.toString());
        assertEquals(3, diverged.get("lastGoodCheckpointStep").asLong(), diverged.toString());
        assertEquals("NaN", diverged.get("loss").asText(), diverged.toString());
        String message = diverged.get("message").asText();
        assertTrue(message.contains("step 3") && message.contains("learning rate") && message.contains(diverged.get("parameter").asText()),
                message);
        assertFalse(Files.exists(published.resolve(ModelFiles.WEIGHTS_FILE)), "no weights for a diverged run");
        assertTrue(Files.readString(staging.resolve(stage.reportOutput())).contains("DIVERGED"));
        assertTrue(Files.isDirectory(checkpoint), "the last checkpoint is kept");
        stage.workDir().delete(); // the candidate's work dir is shared with the other tests
    }

    @Test
    void anUnknownCandidateIsAClearError() {
        ConfException e = assertThrows(ConfException.class,
                () -> Headroom.train(spark(), conf, run, false, Optional.of("v999-tied"), false));
        assertTrue(e.getMessage().contains("'v999-tied'") && e.getMessage().contains(candidate), e.getMessage());
    }

    /** The columns that do not depend on timing: step, tokens, losses, bpb, lr. */
    private static List<String> deterministic(List<Row> rows) {
        List<String> out = new ArrayList<>();
        for (Row r : rows) out.add(r.step() + "," + r.tokens() + "," + r.trainLoss() + "," + r.valLoss() + "," + r.valBpb() + "," + r.lr());
        return out;
    }
}
