package headroom.model.train;

import ai.djl.Device;
import headroom.core.TokenStream;
import headroom.model.ByteCorpus;
import headroom.model.ModelConfig;
import headroom.model.TrainConfig;
import headroom.model.nn.LmModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainerTest {

    private static TokenStream train;
    private static TokenStream val;

    @BeforeAll
    static void corpus() {
        train = ByteCorpus.documents(0, 2000);
        val = ByteCorpus.documents(2000, 40);
    }

    private static ModelConfig model(int d) {
        return new ModelConfig(ByteCorpus.VOCAB_SIZE, d, 4, 2, 1, 2, 2, ModelConfig.Activation.RELU2,
                ModelConfig.HeadMode.TIED, 0, ModelConfig.Conditioning.BOTH, true, 10000, 30, 64);
    }

    private static TrainConfig trainConfig(int batch, int seqLen, long steps, int evalInterval, int checkpointInterval) {
        return new TrainConfig(batch, seqLen, 3e-3, 3e-4, 5, TrainConfig.Decay.COSINE, 0.1, 0.9, 0.95, 1e-8, 1.0,
                steps, 0, 0, evalInterval, 20, checkpointInterval, 20, 1337, "auto", 1);
    }

    @Test
    void lossFallsWellBelowLnVOnRealText(@TempDir Path dir) throws Exception {
        TrainConfig tc = trainConfig(8, 64, 80, 40, 1000);
        TrainResult r = new Trainer().run(model(64), tc, train, val, ByteCorpus.tokenByteLengths(), dir, false);
        List<String[]> rows = csv(dir);
        double initialBpb = Double.parseDouble(rows.get(0)[4]);
        System.out.printf("d=64 byte-level: loss %.3f after %d steps (ln V = %.3f), val bpb %.3f -> %.3f, %.0f tok/s, peak rss %.0f MB%n",
                r.finalTrainLoss(), r.steps(), Math.log(ByteCorpus.VOCAB_SIZE), initialBpb, r.finalValBpb(),
                r.tokens() / r.seconds(), r.peakRssMb());
        assertEquals(80, r.steps());
        assertEquals("maxSteps", r.stopReason());
        assertTrue(r.finalTrainLoss() < 0.6 * Math.log(ByteCorpus.VOCAB_SIZE), "loss " + r.finalTrainLoss());
        assertTrue(r.finalValBpb() < 0.7 * initialBpb, "val bpb " + initialBpb + " -> " + r.finalValBpb());
        assertEquals(r.finalValBpb(), r.bestValBpb(), 1e-12);
        // eval-interval 40 alone would skip step 72, where the last 10% of the 80 steps starts
        assertTrue(!rows.get(72)[3].isEmpty() && rows.get(71)[3].isEmpty(), "the convergence tail's start is evaluated");
        // the final model loads back and scores exactly what the trainer measured
        try (LmModel loaded = LmModel.load(dir, Device.cpu())) {
            EvalResult e = new Evaluator(tc.seqLen(), tc.batchSize()).evaluate(loaded, val.firstDocuments(tc.evalDocuments()),
                    ByteCorpus.tokenByteLengths());
            assertEquals(r.finalValBpb(), e.bpb(), 1e-9);
        }
    }

    @Test
    void resumedRunReproducesTheUninterruptedLosses(@TempDir Path dir) throws Exception {
        TrainConfig tc = trainConfig(4, 32, 12, 5, 4);
        Path straight = dir.resolve("straight");
        Path resumed = dir.resolve("resumed");
        new Trainer().run(model(32), tc, train, val, ByteCorpus.tokenByteLengths(), straight, false);
        TrainResult stopped = new Trainer(step -> step >= 6).run(model(32), tc, train, val, ByteCorpus.tokenByteLengths(), resumed, false);
        assertEquals("signal", stopped.stopReason());
        assertEquals(6, stopped.steps());
        assertTrue(Files.isDirectory(resumed.resolve("checkpoints/step-00000006")));
        assertTrue(Files.notExists(resumed.resolve("weights.bin")), "a stopped run writes no final model");
        TrainResult finished = new Trainer().run(model(32), tc, train, val, ByteCorpus.tokenByteLengths(), resumed, true);
        assertEquals(12, finished.steps());
        List<String[]> a = csv(straight);
        List<String[]> b = csv(resumed);
        assertEquals(13, a.size(), "12 step rows and the final evaluation");
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i)[0], b.get(i)[0], "step column");
            assertEquals(a.get(i)[2], b.get(i)[2], "train loss at step " + a.get(i)[0]);
            assertEquals(a.get(i)[4], b.get(i)[4], "val bpb at step " + a.get(i)[0]);
        }
    }

    @Test
    void aDivergingRunStopsBeforeTheBadUpdateNamingTheStepTheRateAndTheParameter(@TempDir Path dir) throws Exception {
        // Adam moves every weight by about lr per step: at 1e30 the first update makes the weights
        // huge, and the next forward pass overflows.
        TrainConfig tc = new TrainConfig(4, 32, 1e30, 1e30, 0, TrainConfig.Decay.COSINE, 0, 0.9, 0.95, 1e-8, 0,
                20, 0, 0, 1000, 20, 1, 20, 1337, "cpu", 1);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> new Trainer().run(model(32), tc, train, val, ByteCorpus.tokenByteLengths(), dir, false));
        assertTrue(e.step() >= 1, "step 0 starts from finite weights: " + e.getMessage());
        assertEquals(1e30, e.learningRate());
        assertTrue(e.parameter().isPresent(), e.getMessage());
        assertTrue(e.getMessage().contains("step " + e.step()) && e.getMessage().contains("learning rate 1.000e+30")
                && e.getMessage().contains(e.parameter().get()), e.getMessage());
        // the checkpoint taken before the failing step is kept
        assertEquals(e.step(), e.lastGoodCheckpointStep().orElseThrow());
        assertEquals(e.step(), Checkpoints.latestStep(dir).orElseThrow());
        assertTrue(Files.notExists(dir.resolve("weights.bin")), "a diverged run writes no final model");
    }

    /** Rows of train_log.csv without the header. */
    private static List<String[]> csv(Path dir) throws Exception {
        List<String> lines = Files.readAllLines(dir.resolve(TrainLog.FILE));
        assertEquals(TrainLog.HEADER, lines.get(0));
        return lines.subList(1, lines.size()).stream().map(l -> l.split(",", -1)).toList();
    }
}
