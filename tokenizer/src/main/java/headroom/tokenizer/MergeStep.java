package headroom.tokenizer;

import java.io.Serializable;

/**
 * One learned merge: tokens {@code left} and {@code right}, adjacent, become {@code newId}.
 *
 * @param count tokens this merge removed from the training text (one per merged occurrence);
 *              0 when unknown, as for a model read back from tokenizer.json or the asset
 */
public record MergeStep(int left, int right, int newId, long count) implements Serializable {

    public MergeStep {
        if (left < 0 || right < 0 || left >= newId || right >= newId) {
            throw new IllegalArgumentException("merge parts must be ids below newId " + newId + ", got "
                    + left + " + " + right);
        }
        if (newId >= BpeConfig.MAX_VOCAB_SIZE) {
            throw new IllegalArgumentException("newId must be < " + BpeConfig.MAX_VOCAB_SIZE + ", got " + newId);
        }
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, got " + count);
        }
    }
}
