package headroom.model.nn;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import headroom.model.ModelConfig;
import headroom.model.ModelConfig.Activation;
import headroom.model.ModelConfig.Conditioning;
import headroom.model.ModelConfig.HeadMode;
import headroom.model.ParameterCount;
import headroom.core.TensorClass;
import headroom.core.WeightTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LmModelTest {

    private static final int T = 16;

    private static ModelConfig config(HeadMode headMode, int headRank, int loops, Conditioning conditioning, boolean extraNorm, double softCap) {
        return new ModelConfig(300, 32, 4, 2, 2, loops, 2, Activation.RELU2, headMode, headRank, conditioning, extraNorm,
                10000, softCap, 64);
    }

    private static long[] tokens(int n, int seed) {
        long[] t = new long[n];
        java.util.Random r = new java.util.Random(seed);
        for (int i = 0; i < n; i++) t[i] = r.nextInt(300);
        return t;
    }

    private static float[] logits(LmModel model, long[] tokens, int loops) {
        try (NDManager m = model.newChildManager()) {
            return model.logits(m.create(tokens, new Shape(1, tokens.length)), loops).toFloatArray();
        }
    }

    @Test
    void parameterCountMatchesTheBuiltModelForEveryHeadMode() {
        for (ModelConfig c : List.of(config(HeadMode.TIED, 0, 3, Conditioning.NONE, false, 0),
                config(HeadMode.UNTIED, 0, 2, Conditioning.BOTH, true, 30),
                config(HeadMode.FACTORIZED, 8, 4, Conditioning.LOOP_GAIN, true, 0),
                config(HeadMode.FACTORIZED, 8, 1, Conditioning.LOOP_VECTOR, false, 0))) {
            try (LmModel model = new LmModel(c, Device.cpu(), 1)) {
                Map<TensorClass, Long> counted = new TreeMap<>();
                for (WeightTensor w : model.weights()) counted.merge(w.tensorClass(), w.size(), Long::sum);
                assertEquals(new TreeMap<>(ParameterCount.of(c).byClass()), counted, c.headMode() + " " + c.conditioning());
            }
        }
    }

    @Test
    void changingALaterTokenLeavesEarlierLogitsUnchanged() {
        try (LmModel model = new LmModel(config(HeadMode.TIED, 0, 2, Conditioning.BOTH, true, 30), Device.cpu(), 3)) {
            long[] a = tokens(T, 1);
            long[] b = a.clone();
            b[10] = (b[10] + 7) % 300;
            float[] la = logits(model, a, 2);
            float[] lb = logits(model, b, 2);
            int v = 300;
            for (int i = 0; i < 10 * v; i++) assertEquals(la[i], lb[i], 0f, "position " + i / v);
            boolean changed = false;
            for (int i = 10 * v; i < T * v; i++) changed |= la[i] != lb[i];
            assertTrue(changed, "the changed token must change its own and later logits");
        }
    }

    @Test
    void sharedBlocksAreRealAndEveryLoopGetsAGradient() {
        ModelConfig oneLoop = config(HeadMode.TIED, 0, 1, Conditioning.NONE, false, 0);
        ModelConfig fourLoops = config(HeadMode.TIED, 0, 4, Conditioning.NONE, false, 0);
        assertEquals(ParameterCount.of(oneLoop), ParameterCount.of(fourLoops));
        try (LmModel model = new LmModel(config(HeadMode.TIED, 0, 3, Conditioning.BOTH, false, 0), Device.cpu(), 5);
             NDManager m = model.newChildManager()) {
            assertEquals(ParameterCount.of(oneLoop).trunk(), ParameterCount.of(model.config()).trunk());
            NDArray x = m.create(tokens(T, 2), new Shape(1, T));
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(model.logits(x).square().mean());
            }
            for (Parameter p : model.parameters()) {
                NDArray g = p.array().getGradient();
                if (p.name().endsWith("attn_norm") || p.name().endsWith("mlp_norm") || p.name().equals("loop_vectors")) {
                    assertEquals(new Shape(3, 32), g.getShape(), p.name());
                    for (int loop = 0; loop < 3; loop++) {
                        float norm = g.get(new NDIndex("{}", loop)).abs().sum().getFloat();
                        assertTrue(norm > 0, p.name() + " gets no gradient at loop " + loop);
                    }
                } else {
                    assertTrue(g.abs().sum().getFloat() > 0, p.name() + " gets no gradient");
                }
            }
        }
    }

    @Test
    void moreLoopsAtEvaluationRunAndChangeTheOutput() {
        try (LmModel model = new LmModel(config(HeadMode.TIED, 0, 2, Conditioning.LOOP_GAIN, false, 0), Device.cpu(), 9)) {
            long[] t = tokens(T, 4);
            float[] two = logits(model, t, 2);
            float[] four = logits(model, t, 4);
            assertEquals(two.length, four.length);
            assertFalse(java.util.Arrays.equals(two, four));
            assertArrayEquals(two, logits(model, t, 2), 0f);
        }
    }

    @Test
    void weightsRoundTripGivesIdenticalLogits(@TempDir Path dir) throws Exception {
        ModelConfig c = config(HeadMode.FACTORIZED, 8, 2, Conditioning.BOTH, true, 30);
        long[] t = tokens(T, 6);
        try (LmModel a = new LmModel(c, Device.cpu(), 11); LmModel b = new LmModel(c, Device.cpu(), 12)) {
            float[] expected = logits(a, t, 2);
            assertFalse(java.util.Arrays.equals(expected, logits(b, t, 2)), "different seeds must differ");
            b.loadWeights(a.weights());
            assertArrayEquals(expected, logits(b, t, 2), 0f);
            ModelFiles.write(dir, c, a.weights());
            try (LmModel loaded = LmModel.load(dir, Device.cpu())) {
                assertEquals(c, loaded.config());
                assertArrayEquals(expected, logits(loaded, t, 2), 0f);
            }
        }
    }

    @Test
    void sameSeedSameWeights() {
        ModelConfig c = config(HeadMode.UNTIED, 0, 2, Conditioning.NONE, false, 0);
        try (LmModel a = new LmModel(c, Device.cpu(), 42); LmModel b = new LmModel(c, Device.cpu(), 42)) {
            List<WeightTensor> wa = a.weights();
            List<WeightTensor> wb = b.weights();
            for (int i = 0; i < wa.size(); i++) {
                assertEquals(wa.get(i).name(), wb.get(i).name());
                assertArrayEquals(wa.get(i).values(), wb.get(i).values(), 0f);
            }
        }
    }
}
