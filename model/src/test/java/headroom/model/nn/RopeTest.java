package headroom.model.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RoPE against formulas of its own, never {@link Rope#table}: (1) as a complex rotation, the pair
 * (x[i], x[i + hs/2]) read as z = x[i] + i x[i + hs/2] becomes z e^{i pos theta^(-2i/hs)} (RoFormer,
 * eq. 34, in the "rotate half" pairing of GPT-NeoX / HF Llama), in double precision; (2) the property
 * RoPE exists for: the score q(m) . k(n) of two rotated vectors depends only on m - n.
 */
class RopeTest {

    private static final int HEADS = 2;
    private static final int T = 40;
    private static final int HS = 16;
    private static final double THETA = 10_000;

    @Test
    void rotatesEachPairAsAComplexNumber() {
        Random random = new Random(3);
        float[] x = new float[HEADS * T * HS];
        for (int i = 0; i < x.length; i++) x[i] = (float) random.nextGaussian();
        float[] actual;
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            actual = new Rope(m, HS, 64, THETA).apply(m.create(x, new Shape(1, HEADS, T, HS))).toFloatArray(); // (1, H, T, hs)
        }
        double maxDiff = 0;
        int half = HS / 2;
        for (int h = 0; h < HEADS; h++) {
            for (int pos = 0; pos < T; pos++) {
                int at = (h * T + pos) * HS;
                for (int i = 0; i < half; i++) {
                    Complex z = new Complex(x[at + i], x[at + half + i]).times(Complex.polar(pos / Math.pow(THETA, 2.0 * i / HS)));
                    maxDiff = Math.max(maxDiff, Math.max(Math.abs(z.re() - actual[at + i]), Math.abs(z.im() - actual[at + half + i])));
                }
            }
        }
        System.out.printf("RoPE vs complex rotation: max abs diff %.3e over %d values%n", maxDiff, x.length);
        // fp32 angles up to 39 rad: cos/sin rounded to 6e-8 relative, times |x| up to about 4
        assertTrue(maxDiff < 2e-6, "max diff " + maxDiff);
    }

    @Test
    void scoreDependsOnlyOnTheDistance() {
        Random random = new Random(5);
        float[] q = new float[HS];
        float[] k = new float[HS];
        for (int i = 0; i < HS; i++) {
            q[i] = (float) random.nextGaussian();
            k[i] = (float) random.nextGaussian();
        }
        float[] rq;
        float[] rk;
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Rope rope = new Rope(m, HS, 64, THETA);
            rq = rope.apply(sameAtEveryPosition(m, q)).toFloatArray(); // (1, 1, T, hs)
            rk = rope.apply(sameAtEveryPosition(m, k)).toFloatArray(); // (1, 1, T, hs)
        }
        double maxSpread = 0;
        for (int distance = 0; distance < 8; distance++) {
            double first = dot(rq, distance, rk, 0);
            for (int n = 1; n + distance < T; n++) maxSpread = Math.max(maxSpread, Math.abs(dot(rq, n + distance, rk, n) - first));
        }
        System.out.printf("RoPE q(m).k(n) at fixed m - n: max spread %.3e%n", maxSpread);
        assertTrue(maxSpread < 1e-5, "max spread " + maxSpread);
    }

    private static NDArray sameAtEveryPosition(NDManager m, float[] v) {
        float[] rows = new float[T * HS];
        for (int pos = 0; pos < T; pos++) System.arraycopy(v, 0, rows, pos * HS, HS);
        return m.create(rows, new Shape(1, 1, T, HS));
    }

    private static double dot(float[] a, int posA, float[] b, int posB) {
        double s = 0;
        for (int i = 0; i < HS; i++) s += (double) a[posA * HS + i] * b[posB * HS + i];
        return s;
    }

    private record Complex(double re, double im) {
        static Complex polar(double angle) {
            return new Complex(Math.cos(angle), Math.sin(angle));
        }

        Complex times(Complex o) {
            return new Complex(re * o.re - im * o.im, re * o.im + im * o.re);
        }
    }
}
