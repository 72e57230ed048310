package headroom.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The NDArray attention (RoPE, grouped KV, causal mask) against plain Java loops (test_gpt2.c style). */
class AttentionReferenceTest {

    private static final int T = 9;
    private static final int C = 16;
    private static final int HEADS = 4;
    private static final int KV_HEADS = 2;
    private static final int HS = C / HEADS;

    @Test
    void matchesNaiveJava() {
        Random random = new Random(7);
        float[] h = gaussian(random, T * C);
        float[] wq = gaussian(random, C * C);
        float[] wk = gaussian(random, KV_HEADS * HS * C);
        float[] wv = gaussian(random, KV_HEADS * HS * C);
        float[] expected = naive(h, wq, wk, wv);
        float[] actual;
        try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            Rope rope = new Rope(m, HS, 32, 10000);
            NDArray x = m.create(h, new Shape(1, T, C));
            NDArray out = Ops.attention(x, m.create(wq, new Shape(C, C)), m.create(wk, new Shape(KV_HEADS * HS, C)),
                    m.create(wv, new Shape(KV_HEADS * HS, C)), Ops.causalMask(x, T), rope, HEADS, KV_HEADS);
            actual = out.toFloatArray();
        }
        double maxDiff = 0;
        for (int i = 0; i < expected.length; i++) maxDiff = Math.max(maxDiff, Math.abs(expected[i] - actual[i]));
        System.out.printf("attention vs naive Java: max abs diff %.3e over %d values%n", maxDiff, expected.length);
        assertTrue(maxDiff < 1e-4, "max diff " + maxDiff);
    }

    private static float[] naive(float[] h, float[] wq, float[] wk, float[] wv) {
        int kvWidth = KV_HEADS * HS;
        double[][] q = project(h, wq, C);
        double[][] k = project(h, wk, kvWidth);
        double[][] v = project(h, wv, kvWidth);
        float[][] table = Rope.table(HS, 32, 10000);
        for (int t = 0; t < T; t++) {
            for (int head = 0; head < HEADS; head++) rotate(q[t], head * HS, t, table);
            for (int head = 0; head < KV_HEADS; head++) rotate(k[t], head * HS, t, table);
        }
        float[] y = new float[T * C];
        int group = HEADS / KV_HEADS;
        for (int head = 0; head < HEADS; head++) {
            int kvHead = head / group;
            for (int t = 0; t < T; t++) {
                double[] scores = new double[t + 1];
                double max = Double.NEGATIVE_INFINITY;
                for (int s = 0; s <= t; s++) {
                    double dot = 0;
                    for (int e = 0; e < HS; e++) dot += q[t][head * HS + e] * k[s][kvHead * HS + e];
                    scores[s] = dot / Math.sqrt(HS);
                    max = Math.max(max, scores[s]);
                }
                double sum = 0;
                for (int s = 0; s <= t; s++) sum += scores[s] = Math.exp(scores[s] - max);
                for (int e = 0; e < HS; e++) {
                    double acc = 0;
                    for (int s = 0; s <= t; s++) acc += scores[s] / sum * v[s][kvHead * HS + e];
                    y[t * C + head * HS + e] = (float) acc;
                }
            }
        }
        return y;
    }

    private static double[][] project(float[] h, float[] w, int out) {
        double[][] r = new double[T][out];
        for (int t = 0; t < T; t++)
            for (int j = 0; j < out; j++)
                for (int c = 0; c < C; c++) r[t][j] += h[t * C + c] * w[j * C + c];
        return r;
    }

    /** Rotate-half RoPE of one head vector at position t. */
    private static void rotate(double[] x, int offset, int t, float[][] table) {
        int half = HS / 2;
        for (int i = 0; i < half; i++) {
            double cos = table[0][t * half + i];
            double sin = table[1][t * half + i];
            double x1 = x[offset + i];
            double x2 = x[offset + half + i];
            x[offset + i] = x1 * cos - x2 * sin;
            x[offset + half + i] = x2 * cos + x1 * sin;
        }
    }

    private static float[] gaussian(Random random, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) random.nextGaussian() * 0.5f;
        return a;
    }
}
