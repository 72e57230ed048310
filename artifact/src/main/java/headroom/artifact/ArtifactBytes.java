package headroom.artifact;

import headroom.core.TensorClass;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * An artifact's bytes broken down (DESIGN.md, "scoring"): compressed bytes attributed to each tensor
 * class (see docs/ARTIFACT.md for how), the tokenizer asset, and overhead (file framing, container
 * header and table). The parts sum to {@code total}, the file size.
 *
 * @param tensorBytes compressed bytes per tensor class, every class present (0 when absent)
 * @param parameters  parameters per tensor class, every class present
 */
public record ArtifactBytes(Map<TensorClass, Long> tensorBytes, Map<TensorClass, Long> parameters, long tokenizer, long overhead, long total) {

    public ArtifactBytes {
        tensorBytes = complete(tensorBytes, "tensorBytes");
        parameters = complete(parameters, "parameters");
        long sum = tokenizer + overhead + tensorBytes.values().stream().mapToLong(Long::longValue).sum();
        if (tokenizer < 0 || overhead < 0 || sum != total) {
            throw new IllegalArgumentException("parts must be >= 0 and sum to total " + total + ", got tensors " + tensorBytes
                    + " + tokenizer " + tokenizer + " + overhead " + overhead + " = " + sum);
        }
    }

    public long embeddingHead() {
        return tensorBytes.get(TensorClass.EMBEDDING_HEAD);
    }

    /** Attention plus MLP: the shared blocks. */
    public long trunk() {
        return tensorBytes.get(TensorClass.ATTENTION) + tensorBytes.get(TensorClass.MLP);
    }

    public long normsConditioning() {
        return tensorBytes.get(TensorClass.NORM_CONDITIONING);
    }

    public boolean overCap(long cap) {
        return total > cap;
    }

    /** Measured compressed bytes per parameter of each class that has parameters: what the sweep's budget estimate reads. */
    public Map<TensorClass, Double> bytesPerParameter() {
        Map<TensorClass, Double> out = new EnumMap<>(TensorClass.class);
        parameters.forEach((c, count) -> {
            if (count > 0) out.put(c, tensorBytes.get(c) / (double) count);
        });
        return Collections.unmodifiableMap(out);
    }

    private static Map<TensorClass, Long> complete(Map<TensorClass, Long> byClass, String field) {
        EnumMap<TensorClass, Long> copy = new EnumMap<>(byClass);
        for (TensorClass c : TensorClass.values()) {
            Long value = copy.get(c);
            if (value == null || value < 0) throw new IllegalArgumentException(field + " must give a count >= 0 for " + c + ", got " + value);
        }
        return Collections.unmodifiableMap(copy);
    }
}
