package headroom.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
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
     * softCap * tanh(x), for logits the head already divided by softCap ({@link LmModel}). Without autograd
     * tanh's output is scaled in place (the (B, T, V) arrays are the costliest of the forward at a large
     * vocabulary); with it, tanh's backward needs that output, so the scaling makes a new array.
     */
    static NDArray softCap(NDArray x, float softCap) {
        NDArray cap = constant(x, softCap);
        NDArray t = x.tanh();
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
        float[] mask = new float[seqLen * seqLen];
        for (int q = 0; q < seqLen; q++) {
            for (int k = q + 1; k < seqLen; k++) mask[q * seqLen + k] = -1e9f;
        }
        return like.getManager().create(mask, new Shape(seqLen, seqLen)); // one crossing instead of five ops
    }

    /** {@link #attention(NDArray, NDArray, NDArray, Rope, int, int)} with the three projections given apart. */
    static NDArray attention(NDArray h, NDArray wq, NDArray wk, NDArray wv, NDArray mask, Rope rope, int numHeads, int numKvHeads) {
        return attention(h, fusedQkv(wq, wk, wv), mask, rope, numHeads, numKvHeads);
    }

    /** wq (C, C), wk and wv (nkv*hs, C) stacked into one projection (C + 2 nkv*hs, C): one matmul instead of three. */
    static NDArray fusedQkv(NDArray wq, NDArray wk, NDArray wv) {
        return NDArrays.concat(new NDList(wq, wk, wv), 0);
    }

    /**
     * Causal multi-head attention with RoPE and grouped KV heads on normed input h (B, T, C), with the
     * additive mask (T, T) of {@link #causalMask} and the stacked projection of {@link #fusedQkv};
     * returns the heads concatenated, before the output projection: (B, T, C).
     * <p>Shaped for small widths, where the (B, nh, T, T) score arrays, not the matmuls, cost the most:
     * one projection matmul; RoPE on queries and keys in one multiply-add whose query tables also carry
     * 1/sqrt(hs), so the scores need no scaling pass (forward and backward); each KV head meets its g
     * query heads as one (g T, hs) matrix, so K and V are never repeated.
     */
    static NDArray attention(NDArray h, NDArray wqkv, NDArray mask, Rope rope, int numHeads, int numKvHeads) {
        long b = h.getShape().get(0);
        int t = (int) h.getShape().get(1);
        long c = h.getShape().get(2);
        long hs = c / numHeads;
        int group = numHeads / numKvHeads;
        NDArray qkv = linear(h, wqkv).reshape(b, t, numHeads + 2L * numKvHeads, hs);     // (B, T, nh + 2 nkv, hs)
        NDList parts = qkv.split(new long[] {numHeads + numKvHeads}, 2);
        NDArray qk = rope.rotate(parts.get(0), numHeads, (float) (1.0 / Math.sqrt(hs)))   // (B, T, nh + nkv, hs), q / sqrt(hs)
                .transpose(0, 2, 1, 3);                                                   // (B, nh + nkv, T, hs)
        NDList qAndK = qk.split(new long[] {numHeads}, 1);
        NDArray q = qAndK.get(0).reshape(b, numKvHeads, (long) group * t, hs);           // (B, nkv, g T, hs)
        NDArray k = qAndK.get(1);                                                         // (B, nkv, T, hs)
        NDArray v = parts.get(1).transpose(0, 2, 1, 3);                                   // (B, nkv, T, hs)
        // softmax(q k^T / sqrt(hs) + mask) v, the scale already in q
        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2));                               // (B, nkv, g T, T)
        // the mask meets each query head's (T, T) block; with g = 1 that is the array as it is
        NDArray probs = group == 1 ? scores.add(mask).softmax(-1)
                : scores.reshape(b, numKvHeads, group, t, t).add(mask).softmax(-1).reshape(b, numKvHeads, (long) group * t, t);
        NDArray y = probs.matMul(v).reshape(b, numHeads, t, hs);                          // (B, nh, T, hs)
        return y.transpose(0, 2, 1, 3).reshape(b, t, c);                                  // (B, T, C)
    }
}
