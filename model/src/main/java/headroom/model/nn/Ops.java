package headroom.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.pytorch.jni.JniUtils;
import headroom.model.ModelConfig;

/**
 * The math of the model as small functions over NDArrays. The activation comes first in every
 * binary op, so results belong to the caller's (per-step) manager, not the model's.
 * <p>Constants go through {@link #constant}, never DJL's {@code mul(Number)} family: DJL wraps such
 * a number in a tensor that borrows a direct ByteBuffer and closes it right after the op, while
 * autograd keeps that tensor for the backward pass; once the JVM frees the buffer, backward reads
 * whatever was allocated there since (issue 13: runs that differed from process to process and
 * sometimes went NaN).
 */
final class Ops {

    static final float RMS_EPS = 1e-6f;

    private Ops() {
    }

    /** PyTorch {@code F.linear(x, w)} without bias: x (..., in), w (out, in) -> (..., out). */
    static NDArray linear(NDArray x, NDArray w) {
        return x.matMul(w.transpose());
    }

    /** RMSNorm over the last axis: x / sqrt(mean(x^2) + eps) * gain. */
    static NDArray rmsNorm(NDArray x, NDArray gain) {
        NDArray rms = x.square().mean(new int[] {-1}, true).add(constant(x, RMS_EPS)).sqrt(); // (..., 1)
        return x.div(rms).mul(gain);
    }

    /**
     * softCap * tanh(x / softCap): logits bounded smoothly to (-softCap, softCap). Overwrites {@code x},
     * so pass only a fresh array nothing else holds (the head's output: its matmul's backward needs the
     * matmul's inputs, not its output). In place, the (B, T, V) arrays are the costliest of the forward
     * at a large vocabulary; tanh's output is scaled in place only without autograd, which saves it.
     */
    static NDArray softCap(NDArray x, float softCap) {
        NDArray cap = constant(x, softCap);
        NDArray t = x.divi(cap).tanh();
        return JniUtils.isGradMode() ? t.mul(cap) : t.muli(cap);
    }

    /**
     * A scalar in memory torch allocated and owns, in the manager and type of {@code like}: safe to be
     * saved by autograd for the backward pass, however long that comes after this call.
     */
    static NDArray constant(NDArray like, float value) {
        return like.getManager().full(new Shape(), value, like.getDataType());
    }

    static NDArray activate(NDArray x, ModelConfig.Activation activation) {
        return switch (activation) {
            case RELU2 -> Activation.relu(x).square();
            case GELU -> Activation.gelu(x);
        };
    }

    /** Additive causal mask (T, T) in the manager of {@code like}: 0 where key position <= query position, -1e9 elsewhere. */
    static NDArray causalMask(NDArray like, int seqLen) {
        NDArray pos = like.getManager().arange(seqLen);                       // (T)
        NDArray allowed = pos.reshape(seqLen, 1).gte(pos.reshape(1, seqLen)); // (T, T) query >= key
        return allowed.toType(DataType.FLOAT32, false).sub(1f).mul(1e9f);     // (T, T)
    }

    /**
     * Causal multi-head attention with RoPE and grouped KV heads on normed input h (B, T, C), with
     * the additive mask (T, T) of {@link #causalMask}; returns the heads concatenated, before the
     * output projection: (B, T, C).
     */
    static NDArray attention(NDArray h, NDArray wq, NDArray wk, NDArray wv, NDArray mask, Rope rope, int numHeads, int numKvHeads) {
        long b = h.getShape().get(0);
        int t = (int) h.getShape().get(1);
        long c = h.getShape().get(2);
        long hs = c / numHeads;
        NDArray q = linear(h, wq).reshape(b, t, numHeads, hs).transpose(0, 2, 1, 3);   // (B, nh, T, hs)
        NDArray k = linear(h, wk).reshape(b, t, numKvHeads, hs).transpose(0, 2, 1, 3); // (B, nkv, T, hs)
        NDArray v = linear(h, wv).reshape(b, t, numKvHeads, hs).transpose(0, 2, 1, 3); // (B, nkv, T, hs)
        // RoPE relative positional encoding on queries and keys
        q = rope.apply(q);
        k = rope.apply(k);
        k = repeatKv(k, numHeads / numKvHeads); // (B, nh, T, hs)
        v = repeatKv(v, numHeads / numKvHeads); // (B, nh, T, hs)
        // softmax(q k^T / sqrt(hs) + mask) v
        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2));                                    // (B, nh, T, T)
        scores = scores.mul(constant(scores, (float) (1.0 / Math.sqrt(hs))));                   // / sqrt(hs)
        NDArray probs = scores.add(mask).softmax(-1);                                           // (B, nh, T, T)
        NDArray y = probs.matMul(v);                                                            // (B, nh, T, hs)
        return y.transpose(0, 2, 1, 3).reshape(b, t, c);                                        // (B, T, C)
    }

    /** Each KV head serves {@code group} consecutive query heads: (B, nkv, T, hs) -> (B, nkv*group, T, hs). */
    private static NDArray repeatKv(NDArray kv, int group) {
        if (group == 1) return kv;
        Shape s = kv.getShape();
        return kv.expandDims(2)                                            // (B, nkv, 1, T, hs)
                .broadcast(new Shape(s.get(0), s.get(1), group, s.get(2), s.get(3))) // (B, nkv, g, T, hs)
                .reshape(s.get(0), s.get(1) * group, s.get(2), s.get(3));          // (B, nh, T, hs)
    }
}
