package headroom.model.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import headroom.model.ModelConfig;
import headroom.core.TensorClass;
import headroom.core.WeightTensor;
import headroom.model.nn.LmModel;
import headroom.model.nn.ModelFiles;
import headroom.model.nn.Parameter;
import headroom.model.nn.TensorFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One training step of the DJL model against an independent PyTorch implementation, in the manner of
 * llm.c's test_gpt2: on the same weights, batch and optimizer state, the logits, the loss, every
 * parameter's gradient, the gradient norm and the parameters after clip + one AdamW step agree.
 * The reference is bench/torch_reference.py (its own model code and torch.optim.AdamW), run by
 * /usr/bin/python3 on files in the project's own format (ModelFiles, TensorFile); the test is skipped
 * where that Python has no torch ({@code apt-get install python3-torch}; .ci/run installs it).
 *
 * <p>Tolerances. Both sides are fp32 but run different libtorch builds (DJL's 2.7.1 with MKL, Debian's
 * 1.13 with the system BLAS), so sums are reduced in different orders: each dot product of length K
 * carries a relative error of order sqrt(K) x 6e-8 (fp32 epsilon), about 1e-6 at these sizes, and the
 * depth (up to 6 virtual layers, softmax, soft-cap, backward through all of it) multiplies that by a
 * small factor. Measured diffs are printed; every bound below is at least 20x the largest measured on
 * the configs here, and a real mistake (a transposed weight, a missing gain, a wrong scale, a mis-paired
 * RoPE half, decay on a gain) moves these quantities by 1e-2 to 1 relative to their scale.
 * Gradients and updates are compared relative to the largest magnitude of the tensor, since each
 * tensor has its own scale. The AdamW step starts from random moments after 5 updates (not the first
 * step, where m_hat / sqrt(v_hat) = sign(g) and a gradient near 0 could flip sign on rounding alone),
 * so every term of the update matters and none is ill-conditioned.
 */
class TorchParityTest {

    private static final String PYTHON = "/usr/bin/python3";
    private static final int BATCH = 3;
    private static final int SEQ = 24;
    private static final double LR = 1e-2;
    private static final double CLIP = 0.05; // below the untrained model's gradient norm, so the clip acts
    private static final long EARLIER_UPDATES = 5;

    // measured (3 configs, 2026-11): logits 4.8e-7, loss 0, gradients 8.1e-6 (on the tiny q/k gradients of an
    // untrained model; 3e-7 elsewhere), updated parameters 2.3e-7
    private static final double LOGITS_TOLERANCE = 1e-5;      // absolute: logits are O(1)
    private static final double LOSS_TOLERANCE = 1e-5;        // absolute, on a loss of about ln V = 4.2
    private static final double GRAD_TOLERANCE = 2e-4;        // relative to each gradient's largest element
    private static final double UPDATE_TOLERANCE = 5e-6;      // relative to each updated tensor's largest element

    private static Path script;

    @BeforeAll
    static void findTorch() throws Exception {
        script = findScript();
        Assumptions.assumeTrue(torchAvailable(), "skipped: " + PYTHON + " has no torch module (apt-get install python3-torch; .ci/run"
                + " installs it): the DJL-vs-PyTorch parity check did not run");
    }

    static Stream<ModelConfig> configs() {
        return Stream.of(
                // the family's defaults: tied head, per-loop gains, grouped KV (2 query heads per KV head), ReLU^2, soft-cap 30
                new ModelConfig(64, 64, 4, 2, 2, 2, 2, ModelConfig.Activation.RELU2, ModelConfig.HeadMode.TIED, 0,
                        ModelConfig.Conditioning.LOOP_GAIN, false, 10_000, 30, 32),
                // every other knob: factorized head, gains and vectors per loop, extra norms, GELU, MLP 3x, no cap, another RoPE base
                new ModelConfig(80, 48, 4, 4, 1, 3, 3, ModelConfig.Activation.GELU, ModelConfig.HeadMode.FACTORIZED, 16,
                        ModelConfig.Conditioning.BOTH, true, 500, 0, 32),
                // untied head, per-loop vectors only, 4 query heads per KV head
                new ModelConfig(72, 64, 4, 1, 2, 2, 2, ModelConfig.Activation.RELU2, ModelConfig.HeadMode.UNTIED, 0,
                        ModelConfig.Conditioning.LOOP_VECTOR, false, 10_000, 15, 32));
    }

    @ParameterizedTest
    @MethodSource("configs")
    void oneTrainingStepMatchesPyTorch(ModelConfig config, @TempDir Path dir) throws Exception {
        Random random = new Random(config.vocabSize());
        long[] inputs = randomTokens(random, config.vocabSize());
        long[] targets = randomTokens(random, config.vocabSize());
        DjlStep djl;
        try (LmModel model = new LmModel(config, Device.cpu(), 42)) {
            // gains start at 1 and vectors at 0, where a missing gain or vector goes unseen: move them
            List<WeightTensor> weights = perturbNorms(model.weights(), random);
            model.loadWeights(weights);
            List<WeightTensor> first = moments(weights, random, false);
            List<WeightTensor> second = moments(weights, random, true);
            ModelFiles.write(dir, config, weights);
            TensorFile.write(dir.resolve("adam_m.bin"), first);
            TensorFile.write(dir.resolve("adam_v.bin"), second);
            writeStep(dir.resolve("step.json"), inputs, targets);
            djl = djlStep(model, inputs, targets, first, second);
        }
        runTorch(dir);

        Map<String, Object> torchStep = ModelFiles.readJson(dir.resolve("torch_step.json"));
        Map<String, WeightTensor> torchGrads = byName(TensorFile.read(dir.resolve("torch_grads.bin")));
        Map<String, WeightTensor> torchUpdated = byName(TensorFile.read(dir.resolve("torch_updated.bin")));
        float[] torchLogits = TensorFile.read(dir.resolve("torch_logits.bin")).get(0).values();

        System.out.printf(Locale.ROOT, "parity vs torch %s | V=%d d=%d heads %d/%d U=%d L=%d %s %s %s%s softcap %.0f%n",
                torchStep.get("torch"), config.vocabSize(), config.dModel(), config.numHeads(), config.numKvHeads(), config.uniqueBlocks(),
                config.loops(), config.activation(), config.headMode(), config.conditioning(), config.extraNorm() ? " extra-norm" : "",
                config.softCap());
        List<String> failures = new ArrayList<>();
        check(failures, "logits", maxAbsDiff(djl.logits(), torchLogits), 1, LOGITS_TOLERANCE);
        check(failures, "loss", Math.abs(djl.loss() - ((Number) torchStep.get("loss")).doubleValue()), 1, LOSS_TOLERANCE);
        double torchNorm = ((Number) torchStep.get("gradNorm")).doubleValue();
        check(failures, "grad norm", Math.abs(djl.gradNorm() - torchNorm), torchNorm, GRAD_TOLERANCE);
        assertTrue(torchNorm > CLIP, "the clip must act for the test to cover it: gradient norm " + torchNorm + " <= " + CLIP);
        for (Map.Entry<String, float[]> g : djl.gradients().entrySet()) {
            float[] reference = torchGrads.get(g.getKey()).values();
            check(failures, "grad " + g.getKey(), maxAbsDiff(g.getValue(), reference), maxAbs(reference), GRAD_TOLERANCE);
        }
        assertEquals(djl.gradients().keySet(), torchGrads.keySet(), "both sides must have the same parameters");
        for (WeightTensor w : djl.updated()) {
            float[] reference = torchUpdated.get(w.name()).values();
            check(failures, "adamw " + w.name(), maxAbsDiff(w.values(), reference), maxAbs(reference), UPDATE_TOLERANCE);
        }
        assertTrue(failures.isEmpty(), "DJL and PyTorch disagree beyond tolerance: " + failures);
    }

    /** What our own code computes for one step: the Trainer's forward, loss, backward, clip and AdamW. */
    record DjlStep(float[] logits, double loss, Map<String, float[]> gradients, double gradNorm, List<WeightTensor> updated) {
    }

    private static DjlStep djlStep(LmModel model, long[] inputs, long[] targets, List<WeightTensor> first, List<WeightTensor> second) {
        float[] logits;
        float loss;
        Map<String, float[]> gradients = new LinkedHashMap<>();
        try (NDManager step = model.newChildManager()) {
            NDArray x = step.create(inputs, new Shape(BATCH, SEQ)); // (B, T)
            NDArray y = step.create(targets, new Shape(BATCH, SEQ)); // (B, T)
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray out = model.logits(x);                        // (B, T, V)
                NDArray lossArray = Losses.meanLoss(out, y);
                collector.backward(lossArray);
                logits = out.toFloatArray();
                loss = lossArray.getFloat();
            }
            for (Parameter p : model.parameters()) gradients.put(p.name(), p.array().getGradient().toFloatArray());
            double norm = Gradients.clipGlobalNorm(model.parameters(), CLIP);
            try (AdamW adamW = new AdamW(model.parameters(), model.newChildManager(), 0.9, 0.95, 1e-8, 0.1)) {
                adamW.restore(EARLIER_UPDATES, first, second);
                adamW.step(LR);
            }
            return new DjlStep(logits, loss, gradients, norm, model.weights());
        }
    }

    private static void check(List<String> failures, String quantity, double maxDiff, double scale, double tolerance) {
        double relative = maxDiff / scale;
        boolean ok = relative <= tolerance;
        System.out.printf(Locale.ROOT, "  %-28s max abs diff %.3e | scale %.3e | relative %.2e (tolerance %.0e)%s%n", quantity, maxDiff,
                scale, relative, tolerance, ok ? "" : "  FAIL");
        if (!ok) failures.add(quantity + " " + String.format(Locale.ROOT, "%.2e", relative));
    }

    private static long[] randomTokens(Random random, int vocabSize) {
        long[] tokens = new long[BATCH * SEQ];
        for (int i = 0; i < tokens.length; i++) tokens[i] = random.nextInt(vocabSize);
        return tokens;
    }

    /** Gains to 1 + 0.3 N(0, 1), per-loop vectors to 0.3 N(0, 1); matrices keep their initial values. */
    private static List<WeightTensor> perturbNorms(List<WeightTensor> weights, Random random) {
        List<WeightTensor> out = new ArrayList<>();
        for (WeightTensor w : weights) {
            if (w.tensorClass() != TensorClass.NORM_CONDITIONING) {
                out.add(w);
                continue;
            }
            float[] v = w.values().clone();
            for (int i = 0; i < v.length; i++) v[i] += (float) (0.3 * random.nextGaussian());
            out.add(new WeightTensor(w.name(), w.tensorClass(), w.shape(), v));
        }
        return out;
    }

    /** AdamW moments as after a few updates: m ~ 1e-3 N(0, 1), v ~ (1e-3 N(0, 1))^2 + 1e-8 (never 0). */
    private static List<WeightTensor> moments(List<WeightTensor> weights, Random random, boolean second) {
        List<WeightTensor> out = new ArrayList<>();
        for (WeightTensor w : weights) {
            float[] v = new float[w.values().length];
            for (int i = 0; i < v.length; i++) {
                double g = 1e-3 * random.nextGaussian();
                v[i] = (float) (second ? g * g + 1e-8 : g);
            }
            out.add(new WeightTensor(w.name(), w.tensorClass(), w.shape(), v));
        }
        return out;
    }

    private static void writeStep(Path file, long[] inputs, long[] targets) throws IOException {
        Map<String, Object> step = new LinkedHashMap<>();
        step.put("batch", BATCH);
        step.put("seqLen", SEQ);
        step.put("inputs", inputs);
        step.put("targets", targets);
        step.put("lr", LR);
        step.put("beta1", 0.9);
        step.put("beta2", 0.95);
        step.put("eps", 1e-8);
        step.put("weightDecay", 0.1);
        step.put("gradClip", CLIP);
        step.put("updates", EARLIER_UPDATES);
        ModelFiles.writeJson(file, step);
    }

    private static void runTorch(Path dir) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(PYTHON, script.toString(), "parity", dir.toString()).redirectErrorStream(true);
        pb.environment().put("OMP_NUM_THREADS", "1");
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(script + " parity did not finish in 120 s");
        }
        if (p.exitValue() != 0) throw new IllegalStateException(script + " parity failed (exit " + p.exitValue() + "):\n" + output);
    }

    private static boolean torchAvailable() throws InterruptedException {
        if (!Files.isExecutable(Path.of(PYTHON))) return false;
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import torch, numpy").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** bench/torch_reference.py of this checkout: tests run in the module folder, the script sits at the root. */
    private static Path findScript() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("bench/torch_reference.py");
            if (Files.isRegularFile(candidate)) return candidate;
        }
        throw new IllegalStateException("bench/torch_reference.py not found above " + Path.of("").toAbsolutePath());
    }

    private static Map<String, WeightTensor> byName(List<WeightTensor> tensors) {
        Map<String, WeightTensor> m = new LinkedHashMap<>();
        for (WeightTensor t : tensors) m.put(t.name(), t);
        return m;
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length, "sizes differ");
        double max = 0;
        for (int i = 0; i < a.length; i++) max = Math.max(max, Math.abs((double) a[i] - b[i]));
        return max;
    }

    private static double maxAbs(float[] a) {
        double max = 0;
        for (float v : a) max = Math.max(max, Math.abs(v));
        return max;
    }
}
