package headroom.core;

/**
 * The parts of a model that the byte budget and the precision plan treat separately
 * (DESIGN.md, "the budget model" and "scoring").
 */
public enum TensorClass {
    /** Token embedding and output head (tied, untied or factorized). */
    EMBEDDING_HEAD,
    /** Attention projections of the shared blocks. */
    ATTENTION,
    /** MLP projections of the shared blocks. */
    MLP,
    /** RMSNorm gains, per-loop gains and per-loop vectors: small, kept in fp16. */
    NORM_CONDITIONING
}
