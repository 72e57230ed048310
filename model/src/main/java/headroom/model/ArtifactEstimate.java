package headroom.model;

import headroom.core.TensorClass;
import java.util.Map;

/**
 * Estimated artifact bytes by part (DESIGN.md, "the budget model"): parameters of each tensor
 * class times its measured bytes per parameter after quantization and compression, plus the
 * tokenizer asset and the container overhead.
 */
public record ArtifactEstimate(long head, long trunk, long norms, long tokenizer, long overhead) {

    public static ArtifactEstimate of(ParameterCount p, Map<TensorClass, Double> bytesPerParameter, long tokenizerBytes, long overheadBytes) {
        for (TensorClass t : TensorClass.values()) {
            Double b = bytesPerParameter.get(t);
            if (b == null || !(b > 0)) {
                throw new IllegalArgumentException("bytesPerParameter for " + t + " must be > 0, got " + b);
            }
        }
        if (tokenizerBytes < 0) throw new IllegalArgumentException("tokenizerBytes must be >= 0, got " + tokenizerBytes);
        if (overheadBytes < 0) throw new IllegalArgumentException("overheadBytes must be >= 0, got " + overheadBytes);
        return new ArtifactEstimate(
                bytes(p.embeddingHead(), bytesPerParameter.get(TensorClass.EMBEDDING_HEAD)),
                bytes(p.attention(), bytesPerParameter.get(TensorClass.ATTENTION)) + bytes(p.mlp(), bytesPerParameter.get(TensorClass.MLP)),
                bytes(p.normConditioning(), bytesPerParameter.get(TensorClass.NORM_CONDITIONING)),
                tokenizerBytes, overheadBytes);
    }

    private static long bytes(long parameters, double bytesPerParameter) {
        return (long) Math.ceil(parameters * bytesPerParameter);
    }

    public long total() {
        return head + trunk + norms + tokenizer + overhead;
    }
}
