package headroom.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rotary position embedding, "rotate half" form (GPT-NeoX / Llama in HF): the first and second
 * halves of each head form the pairs rotated by angle pos * theta^(-2i/hs).
 * <p>Applied as one multiply-add, x * C + swap(x) * S, where swap exchanges the two halves (one flip
 * of a (2, hs/2) view) and the tables C = [cos, cos], S = [-sin, sin] are laid out per (position, head)
 * and may carry a per-head factor (attention's 1/sqrt(hs) on the query heads): 4 ops for queries and
 * keys together instead of 9 per tensor. The tables are built in Java once per (T, heads, scaling) and
 * kept by the model's manager.
 */
final class Rope {

    private final NDManager manager;
    private final int headSize;
    private final int maxSeqLen;
    private final float[][] table; // cos and sin, (maxSeqLen, hs/2) each
    private final Map<List<Object>, NDArray[]> tables = new HashMap<>();

    Rope(NDManager manager, int headSize, int maxSeqLen, double theta) {
        this.manager = manager;
        this.headSize = headSize;
        this.maxSeqLen = maxSeqLen;
        this.table = table(headSize, maxSeqLen, theta);
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
        long h = x.getShape().get(1);
        return rotate(x.transpose(0, 2, 1, 3), (int) h, 1f).transpose(0, 2, 1, 3);
    }

    /**
     * x (B, T, H, hs), heads last but one -> rotated (B, T, H, hs), the first {@code scaledHeads} heads also
     * multiplied by {@code scale} (folded into the tables: no pass of its own).
     */
    NDArray rotate(NDArray x, int scaledHeads, float scale) {
        Shape s = x.getShape();
        int t = (int) s.get(1);
        int heads = (int) s.get(2);
        if (t > maxSeqLen) throw new IllegalArgumentException("sequence length " + t + " exceeds maxSeqLen " + maxSeqLen);
        NDArray[] cs = tables(t, heads, scaledHeads, scale);
        NDArray swapped = x.reshape(s.get(0), t, heads, 2, headSize / 2).flip(3).reshape(s); // (B, T, H, hs): [x2, x1]
        return x.mul(cs[0]).add(swapped.mul(cs[1]));                                         // x1 c - x2 s | x2 c + x1 s
    }

    /** C and S for positions [0, t) and {@code heads} heads, (t, heads, hs). */
    private synchronized NDArray[] tables(int t, int heads, int scaledHeads, float scale) {
        return tables.computeIfAbsent(List.of(t, heads, scaledHeads, scale), k -> {
            int half = headSize / 2;
            float[] c = new float[t * heads * headSize];
            float[] sn = new float[c.length];
            for (int pos = 0; pos < t; pos++) {
                for (int head = 0; head < heads; head++) {
                    float f = head < scaledHeads ? scale : 1f;
                    int at = (pos * heads + head) * headSize;
                    for (int i = 0; i < half; i++) {
                        float cos = table[0][pos * half + i] * f;
                        float sin = table[1][pos * half + i] * f;
                        c[at + i] = cos;
                        c[at + half + i] = cos;
                        sn[at + i] = -sin;
                        sn[at + half + i] = sin;
                    }
                }
            }
            Shape shape = new Shape(t, heads, headSize);
            NDArray[] made = {manager.create(c, shape), manager.create(sn, shape)};
            NDScope.unregister(made); // kept by the model's manager, not by the scope of the forward that first asked
            return made;
        });
    }
}
