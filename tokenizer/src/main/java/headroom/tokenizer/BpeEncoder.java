package headroom.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Pure-Java encoder of a {@link BpeModel}: pre-tokens, then bytes, then merges by rank; it gives
 * the same ids as the exported tokenizer.json through HuggingFace tokenizers. Not thread-safe
 * (the piece cache): one encoder per thread.
 */
public final class BpeEncoder {
    private static final int CACHE_LIMIT = 1 << 16;

    private final BpeModel model;
    private final PairRanks ranks;
    private final Map<String, int[]> cache = new HashMap<>();

    public BpeEncoder(BpeModel model) {
        this.model = model;
        this.ranks = new PairRanks(model.merges());
    }

    /** The token ids of {@code text}; never a special token, whatever the text holds. */
    public int[] encode(String text) {
        int[] ids = new int[16];
        int size = 0;
        for (String piece : ByteLevel.pieces(text)) {
            int[] pieceIds = cache.get(piece);
            if (pieceIds == null) {
                pieceIds = encodePiece(piece.getBytes(StandardCharsets.UTF_8));
                if (cache.size() >= CACHE_LIMIT) {
                    cache.clear();
                }
                cache.put(piece, pieceIds);
            }
            if (size + pieceIds.length > ids.length) {
                ids = Arrays.copyOf(ids, Math.max(ids.length * 2, size + pieceIds.length));
            }
            System.arraycopy(pieceIds, 0, ids, size, pieceIds.length);
            size += pieceIds.length;
        }
        return Arrays.copyOf(ids, size);
    }

    /**
     * The text of {@code ids}: every token's bytes, decoded as UTF-8 (malformed sequences become
     * U+FFFD). A special token decodes to its own name, as HuggingFace's ByteLevel decoder does.
     */
    public String decode(int[] ids) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int id : ids) {
            if (id < 0 || id >= model.vocabSize()) {
                throw new IllegalArgumentException("token id must be in [0, " + model.vocabSize() + "), got " + id);
            }
            byte[] token = model.isSpecial(id)
                    ? model.specialTokens().get(id - model.bosId()).getBytes(StandardCharsets.UTF_8)
                    : model.tokenBytes(id);
            bytes.writeBytes(token);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Applies the lowest-ranked merge present, all its occurrences left to right, until none applies: training's order. */
    private int[] encodePiece(byte[] bytes) {
        int[] symbols = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            symbols[i] = bytes[i] & 0xFF;
        }
        int size = symbols.length;
        while (size > 1) {
            int best = -1;
            for (int i = 0; i + 1 < size; i++) {
                int rank = ranks.rank(symbols[i], symbols[i + 1]);
                if (rank >= 0 && (best < 0 || rank < best)) {
                    best = rank;
                }
            }
            if (best < 0) {
                break;
            }
            MergeStep merge = model.merges().get(best);
            int out = 0;
            for (int i = 0; i < size; i++) {
                if (i + 1 < size && symbols[i] == merge.left() && symbols[i + 1] == merge.right()) {
                    symbols[out++] = merge.newId();
                    i++;
                } else {
                    symbols[out++] = symbols[i];
                }
            }
            size = out;
        }
        return Arrays.copyOf(symbols, size);
    }
}
