package headroom.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embedding, "rotate half" form (GPT-NeoX / Llama in HF): the first and second
 * halves of each head form the pairs rotated by angle pos * theta^(-2i/hs).
 */
final class Rope {

    private final NDArray cos; // (maxSeqLen, hs/2)
    private final NDArray sin; // (maxSeqLen, hs/2)

    Rope(NDManager manager, int headSize, int maxSeqLen, double theta) {
        float[][] table = table(headSize, maxSeqLen, theta);
        Shape shape = new Shape(maxSeqLen, headSize / 2);
        this.cos = manager.create(table[0], shape);
        this.sin = manager.create(table[1], shape);
    }

    /** cos and sin of every (position, pair) angle, row-major (maxSeqLen, hs/2); shared with the test reference. */
    static float[][] table(int headSize, int maxSeqLen, double theta) {
        int half = headSize / 2;
        float[] c = new float[maxSeqLen * half];
        float[] s = new float[maxSeqLen * half];
        for (int pos = 0; pos < maxSeqLen; pos++) {
            for (int i = 0; i < half; i++) {
                double angle = pos * Math.pow(theta, -2.0 * i / headSize);
                c[pos * half + i] = (float) Math.cos(angle);
                s[pos * half + i] = (float) Math.sin(angle);
            }
        }
        return new float[][] {c, s};
    }

    /** x (B, H, T, hs) -> rotated (B, H, T, hs). */
    NDArray apply(NDArray x) {
        long t = x.getShape().get(2);
        if (t > cos.getShape().get(0)) {
            throw new IllegalArgumentException("sequence length " + t + " exceeds maxSeqLen " + cos.getShape().get(0));
        }
        NDList halves = x.split(2, 3);
        NDArray x1 = halves.get(0);                     // (B, H, T, hs/2)
        NDArray x2 = halves.get(1);                     // (B, H, T, hs/2)
        NDArray c = cos.get(new NDIndex(":{}", t));     // (T, hs/2)
        NDArray s = sin.get(new NDIndex(":{}", t));     // (T, hs/2)
        NDArray r1 = x1.mul(c).sub(x2.mul(s));          // (B, H, T, hs/2)
        NDArray r2 = x2.mul(c).add(x1.mul(s));          // (B, H, T, hs/2)
        return r1.concat(r2, -1);                       // (B, H, T, hs)
    }
}
