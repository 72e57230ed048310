package headroom.tokenizer;

import java.util.HashSet;
import java.util.List;

/**
 * Settings of one byte-level BPE training run.
 *
 * <p>Token ids are stable and documented: 0..255 are the bytes, then the special tokens in the
 * order given (the first is BOS, so BOS = 256 with the defaults), then one id per merge in the
 * order the merges were learned. Hence the first k merges are exactly the tokenizer of size
 * {@code 256 + specialTokens.size() + k}, and one run to the largest size yields every smaller one.
 *
 * @param vocabSize     ids wanted in all (bytes + specials + merges), at most 65,536 (uint16 ids)
 * @param minFrequency  training stops once the most frequent pair occurs fewer times than this
 * @param specialTokens the specials, BOS first; each must split into two or more pre-tokens, so
 *                      no merged token (merges never cross pre-tokens) can have the same bytes
 * @param maxTokenBytes no merge makes a token longer than this many bytes
 */
public record BpeConfig(int vocabSize, long minFrequency, List<String> specialTokens, int maxTokenBytes) {

    public static final List<String> DEFAULT_SPECIAL_TOKENS = List.of("<|bos|>");
    public static final long DEFAULT_MIN_FREQUENCY = 2;
    public static final int DEFAULT_MAX_TOKEN_BYTES = 64;
    /** Ids are stored as uint16. */
    public static final int MAX_VOCAB_SIZE = 65_536;

    public BpeConfig {
        specialTokens = checkSpecialTokens(specialTokens);
        int minVocab = 256 + specialTokens.size();
        if (vocabSize < minVocab || vocabSize > MAX_VOCAB_SIZE) {
            throw new IllegalArgumentException("vocabSize must be in [" + minVocab + ", " + MAX_VOCAB_SIZE
                    + "] (256 bytes + " + specialTokens.size() + " specials, uint16 ids), got " + vocabSize);
        }
        if (minFrequency < 1) {
            throw new IllegalArgumentException("minFrequency must be >= 1, got " + minFrequency);
        }
        if (maxTokenBytes < 2) {
            throw new IllegalArgumentException("maxTokenBytes must be >= 2 (a merged token has two bytes at least), got "
                    + maxTokenBytes);
        }
    }

    /** The defaults: BOS only, pairs seen at least twice, tokens of at most 64 bytes. */
    public static BpeConfig of(int vocabSize) {
        return new BpeConfig(vocabSize, DEFAULT_MIN_FREQUENCY, DEFAULT_SPECIAL_TOKENS, DEFAULT_MAX_TOKEN_BYTES);
    }

    /** Checks the rules on specials (non-empty, distinct, never one pre-token) and returns an immutable copy. */
    static List<String> checkSpecialTokens(List<String> specialTokens) {
        if (specialTokens == null || specialTokens.isEmpty()) {
            throw new IllegalArgumentException("specialTokens must hold at least BOS, got " + specialTokens);
        }
        List<String> copy = List.copyOf(specialTokens);
        if (new HashSet<>(copy).size() != copy.size()) {
            throw new IllegalArgumentException("specialTokens must be distinct, got " + copy);
        }
        for (String special : copy) {
            if (ByteLevel.pieces(special).size() < 2) {
                throw new IllegalArgumentException("specialTokens entry \"" + special
                        + "\" must split into at least 2 pre-tokens (like <|bos|>), else a merge could rebuild it");
            }
        }
        return copy;
    }

    /** The id of the first merged token. */
    public int firstMergeId() {
        return 256 + specialTokens.size();
    }
}
