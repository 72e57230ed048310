package headroom.model.nn;

import ai.djl.ndarray.NDArray;
import headroom.model.ModelConfig;
import headroom.core.TensorClass;

/**
 * One unique pre-norm transformer block, applied once per loop. With per-loop gains its two
 * RMSNorm gains hold one row per loop; everything else is shared by all loops.
 */
final class Block {

    private static final double STD = 0.02;

    private final ModelConfig config;
    private final Parameter attnNorm;    // (C), or (L, C) with per-loop gains
    private final Parameter wq;          // (C, C)
    private final Parameter wk;          // (nkv*hs, C)
    private final Parameter wv;          // (nkv*hs, C)
    private final Parameter wo;          // (C, C)
    private final Parameter attnOutNorm; // (C), only with extraNorm
    private final Parameter mlpNorm;     // (C), or (L, C) with per-loop gains
    private final Parameter w1;          // (H, C)
    private final Parameter w2;          // (C, H)
    private final Parameter mlpOutNorm;  // (H), only with extraNorm

    Block(ModelConfig c, int index, ParameterFactory f) {
        this.config = c;
        String p = "blocks." + index + ".";
        int d = c.dModel();
        int kv = c.numKvHeads() * c.headSize();
        int hidden = c.mlpHidden();
        boolean perLoop = c.conditioning().loopGains();
        // GPT-2: residual output projections scaled by 1/sqrt(2 * depth)
        double residualStd = STD / Math.sqrt(2.0 * c.virtualDepth());
        attnNorm = perLoop ? f.loopGains(p + "attn_norm", c.loops(), d) : f.gain(p + "attn_norm", d);
        wq = f.normal(p + "attn.wq", TensorClass.ATTENTION, d, d, STD);
        wk = f.normal(p + "attn.wk", TensorClass.ATTENTION, kv, d, STD);
        wv = f.normal(p + "attn.wv", TensorClass.ATTENTION, kv, d, STD);
        attnOutNorm = c.extraNorm() ? f.gain(p + "attn.out_norm", d) : null;
        wo = f.normal(p + "attn.wo", TensorClass.ATTENTION, d, d, residualStd);
        mlpNorm = perLoop ? f.loopGains(p + "mlp_norm", c.loops(), d) : f.gain(p + "mlp_norm", d);
        w1 = f.normal(p + "mlp.w1", TensorClass.MLP, hidden, d, STD);
        mlpOutNorm = c.extraNorm() ? f.gain(p + "mlp.out_norm", hidden) : null;
        w2 = f.normal(p + "mlp.w2", TensorClass.MLP, d, hidden, residualStd);
    }

    /** x (B, T, C) at loop {@code loop} (already clamped to the trained loops), causal mask (T, T) -> (B, T, C). */
    NDArray forward(NDArray x, int loop, NDArray mask, Rope rope) {
        // attention rmsnorm, attention, (extra rmsnorm), projection, residual
        NDArray y = Ops.attention(Ops.rmsNorm(x, gain(attnNorm, loop)), wq.array(), wk.array(), wv.array(),
                mask, rope, config.numHeads(), config.numKvHeads());               // (B, T, C)
        if (attnOutNorm != null) y = Ops.rmsNorm(y, attnOutNorm.array());
        x = x.add(Ops.linear(y, wo.array()));                              // (B, T, C)
        // mlp rmsnorm, up, relu^2 or gelu, (extra rmsnorm), down, residual
        NDArray h = Ops.activate(Ops.linear(Ops.rmsNorm(x, gain(mlpNorm, loop)), w1.array()), config.activation()); // (B, T, H)
        if (mlpOutNorm != null) h = Ops.rmsNorm(h, mlpOutNorm.array());
        return x.add(Ops.linear(h, w2.array()));                           // (B, T, C)
    }

    private NDArray gain(Parameter norm, int loop) {
        return config.conditioning().loopGains() ? norm.array().get(loop) : norm.array(); // (C)
    }
}
