package headroom.model;

/**
 * Floating-point operations per token of a {@link ModelConfig}, by arithmetic alone, in the manner of
 * PaLM's appendix B and nanoGPT's {@code estimate_mfu}: 2 per multiply-add of each matrix a token
 * passes through, plus the attention scores and mixing, with the backward pass costing twice the
 * forward. A looped model passes through its U blocks L times, so the matrices count once per loop:
 * N here is the matrix parameters a token meets ({@link #matmulParametersPerToken}), not the stored
 * count of {@link ParameterCount}. Norms, softmax, activations and the optimizer are left out (they
 * are O(d) per token, not O(d^2)).
 */
public final class ModelFlops {

    private ModelFlops() {
    }

    /**
     * Matrix weights applied to each token: every block's wq, wk, wv, wo, w1, w2 once per loop, and the
     * head (V x d; factorized: the d x r projection at the input and again at the output, then V x r).
     * The embedding lookup costs no multiply.
     */
    public static long matmulParametersPerToken(ModelConfig c) {
        long d = c.dModel();
        long kv = (long) c.numKvHeads() * c.headSize();
        long block = d * d + 2 * kv * d + d * d + 2L * c.mlpHidden() * d; // wq, wk, wv, wo, w1, w2
        long head = switch (c.headMode()) {
            case TIED, UNTIED -> (long) c.vocabSize() * d;
            case FACTORIZED -> 2L * d * c.headRank() + (long) c.vocabSize() * c.headRank();
        };
        return c.virtualDepth() * block + head;
    }

    /**
     * Forward FLOPs per token at context {@code seqLen}: 2N for the matrices, and per layer 2 T d for
     * q k^T plus 2 T d for probs v. The full T x T products are counted, as the model computes them
     * (the causal mask is applied after, not skipped).
     */
    public static double forwardPerToken(ModelConfig c, int seqLen) {
        return 2.0 * matmulParametersPerToken(c) + 4.0 * c.virtualDepth() * seqLen * c.dModel();
    }

    /** Forward plus backward: 3x the forward, i.e. 6N + 12 x layers x T x d. */
    public static double trainingPerToken(ModelConfig c, int seqLen) {
        return 3 * forwardPerToken(c, seqLen);
    }
}
