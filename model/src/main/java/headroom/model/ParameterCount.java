package headroom.model;

import headroom.core.TensorClass;
import java.util.EnumMap;
import java.util.Map;

/**
 * Parameters of a {@link ModelConfig} by tensor class, by arithmetic alone (no DJL), so the byte
 * budget can be planned before a model exists. Must equal the built model's count exactly.
 */
public record ParameterCount(long embeddingHead, long attention, long mlp, long normConditioning) {

    public static ParameterCount of(ModelConfig c) {
        long d = c.dModel();
        long v = c.vocabSize();
        long kv = (long) c.numKvHeads() * c.headSize();
        long hidden = c.mlpHidden();
        long u = c.uniqueBlocks();

        long head = switch (c.headMode()) {
            case TIED -> v * d;
            case UNTIED -> 2 * v * d;
            case FACTORIZED -> v * c.headRank() + d * c.headRank();
        };
        long attention = u * (d * d + 2 * kv * d + d * d);   // wq, wk, wv, wo
        long mlp = u * (2 * hidden * d);                      // w1 (up), w2 (down)

        long gainRows = c.conditioning().loopGains() ? c.loops() : 1;
        long perBlockNorms = 2 * gainRows * d + (c.extraNorm() ? d + hidden : 0);
        long loopVectors = c.conditioning().loopVectors() ? (long) c.loops() * d : 0;
        long norms = u * perBlockNorms + loopVectors + d;     // + final norm
        return new ParameterCount(head, attention, mlp, norms);
    }

    public long trunk() {
        return attention + mlp;
    }

    public long total() {
        return embeddingHead + attention + mlp + normConditioning;
    }

    public long of(TensorClass tensorClass) {
        return switch (tensorClass) {
            case EMBEDDING_HEAD -> embeddingHead;
            case ATTENTION -> attention;
            case MLP -> mlp;
            case NORM_CONDITIONING -> normConditioning;
        };
    }

    public Map<TensorClass, Long> byClass() {
        Map<TensorClass, Long> m = new EnumMap<>(TensorClass.class);
        for (TensorClass t : TensorClass.values()) m.put(t, of(t));
        return m;
    }

    /** One log line: {@code params 1.23M | embedding/head 0.26M | attention ... }. */
    public String describe() {
        return String.format("params %s | embedding/head %s | attention %s | mlp %s | norms/conditioning %s",
                millions(total()), millions(embeddingHead), millions(attention), millions(mlp), millions(normConditioning));
    }

    private static String millions(long n) {
        return n >= 100_000 ? String.format("%.3fM", n / 1e6) : Long.toString(n);
    }
}
