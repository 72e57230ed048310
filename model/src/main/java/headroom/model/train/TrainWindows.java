package headroom.model.train;

import headroom.core.TokenStream;

/**
 * Training windows of T+1 tokens drawn as byte positions of the train text (DESIGN.md, "Paired means the same bytes").
 * Window i starts at byte {@code offsetByte(i)}, a pure function of (seed, i) and the text's byte count: every
 * vocabulary's stream of the same train split holds the same bytes in the same document order, so the arms of one seed
 * train on the same byte ranges in the same order, each through its own tokenizer (T covers the same context bytes). In
 * tokens a window starts at the first token that starts at or after that byte (a document's BOS, of 0 bytes, when the
 * byte opens a document). A run resumed at window index k draws exactly the windows it would have drawn.
 */
final class TrainWindows {

    /** Every this many tokens the byte offset is stored; a lookup walks at most this many tokens from there. */
    private static final int BLOCK = 64;

    private final TokenStream stream;
    private final int[] tokenByteLengths;
    private final int seqLen;
    private final long seed;
    private final long[] blockByte;   // (size / BLOCK + 1): byte offset of token k x BLOCK
    private final long textBytes;     // bytes of all tokens: the range byte positions are drawn from

    TrainWindows(TokenStream stream, int[] tokenByteLengths, int seqLen, long seed) {
        if (stream.size() < seqLen + 1L) {
            throw new IllegalArgumentException("training stream has " + stream.size() + " tokens; a window needs seqLen + 1 = " + (seqLen + 1));
        }
        this.stream = stream;
        this.tokenByteLengths = tokenByteLengths;
        this.seqLen = seqLen;
        this.seed = seed;
        int size = Math.toIntExact(stream.size());
        this.blockByte = new long[size / BLOCK + 1];
        long bytes = 0;
        for (int p = 0; p < size; p++) {
            if (p % BLOCK == 0) blockByte[p / BLOCK] = bytes;
            bytes += tokenByteLengths[stream.token(p)];
        }
        if (bytes != stream.textBytes()) {
            throw new IllegalStateException("the training stream's tokens carry " + bytes + " bytes but its documents " + stream.textBytes()
                    + ": the token byte lengths are not this stream's tokenizer's");
        }
        this.textBytes = bytes;
    }

    /** Byte position window {@code index} starts at: uniform over [0, text bytes - 1]. */
    long offsetByte(long index) {
        return Math.floorMod(mix(seed * 0x9E3779B97F4A7C15L + index), Math.max(1, textBytes));
    }

    /**
     * Token position window {@code index} starts at: the first token starting at or after its byte, moved back so that
     * T+1 tokens fit (only a window in the text's last context bytes differs between vocabularies by that).
     */
    long offset(long index) {
        return Math.min(tokenAtOrAfter(offsetByte(index)), stream.size() - seqLen - 1);
    }

    /** The first token whose first byte is at or after {@code byteOffset} (the stream's size when none is). */
    long tokenAtOrAfter(long byteOffset) {
        // the last block starting before the byte (so a zero-byte BOS just before a block boundary is not skipped), then token by token
        int lo = 0, hi = blockByte.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (blockByte[mid] < byteOffset) lo = mid; else hi = mid - 1;
        }
        long p = (long) lo * BLOCK;
        long at = blockByte[lo];
        while (p < stream.size() && at < byteOffset) at += tokenByteLengths[stream.token(p++)];
        return p;
    }

    /** Fills inputs and targets (both rows*T, row-major) with windows first..first+rows-1. */
    void fill(long first, int rows, long[] inputs, long[] targets) {
        for (int r = 0; r < rows; r++) {
            long start = offset(first + r);
            for (int i = 0; i < seqLen; i++) {
                inputs[r * seqLen + i] = stream.token(start + i);
                targets[r * seqLen + i] = stream.token(start + i + 1);
            }
        }
    }

    /** SplitMix64 finalizer: a bijective 64-bit hash. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
