package headroom.tokenizer.shards;

/**
 * Covers a token stream with windows of {@code seqLen + 1} tokens at stride {@code seqLen}, so
 * every position after the first is a target exactly once, the next document's BOS included
 * (DESIGN.md, "Bits per byte"). Window i holds positions {@code [i*T, min(i*T + T + 1, size))};
 * its targets are all of them but the first. Only the last window may be shorter.
 */
public final class EvalWindows {

    private final TokenStream stream;
    private final int seqLen;
    private final int count;

    /** @param seqLen T: a full window holds T + 1 tokens and T targets */
    public EvalWindows(TokenStream stream, int seqLen) {
        if (seqLen < 1) {
            throw new IllegalArgumentException("seqLen must be >= 1, got " + seqLen);
        }
        if (stream.size() < 2) {
            throw new IllegalArgumentException("the token stream must hold at least 2 tokens to have a target, got " + stream.size());
        }
        this.stream = stream;
        this.seqLen = seqLen;
        // ceil((size - 1) / T): size <= Integer.MAX_VALUE, so the count fits an int
        this.count = (int) ((stream.size() - 2) / seqLen + 1);
    }

    public int count() {
        return count;
    }

    public int seqLen() {
        return seqLen;
    }

    /** Stream position of window i's first token (its first input, never a target). */
    public long start(int i) {
        checkIndex(i);
        return (long) i * seqLen;
    }

    /** Targets of window i: T for every window but possibly the last. */
    public int targets(int i) {
        return (int) Math.min(seqLen, stream.size() - 1 - start(i));
    }

    /** Window i's tokens: {@code targets(i) + 1} of them. */
    public int[] window(int i) {
        long start = start(i);
        int[] window = new int[targets(i) + 1];
        for (int k = 0; k < window.length; k++) {
            window[k] = stream.token(start + k);
        }
        return window;
    }

    /**
     * Sum of the byte lengths of every target token, window by window.
     *
     * @param tokenByteLengths bytes of each token id's string; 0 for specials
     */
    public long targetTokenBytes(int[] tokenByteLengths) {
        long bytes = 0;
        for (int i = 0; i < count; i++) {
            long start = start(i);
            int targets = targets(i);
            for (int k = 1; k <= targets; k++) {
                int id = stream.token(start + k);
                if (id >= tokenByteLengths.length) {
                    throw new IllegalArgumentException("token id " + id + " at position " + (start + k)
                            + " has no byte length: tokenByteLengths has " + tokenByteLengths.length + " entries");
                }
                bytes += tokenByteLengths[id];
            }
        }
        return bytes;
    }

    /**
     * The bits-per-byte denominator after the audit DESIGN.md requires: the targets' byte lengths
     * must add up to the documents' UTF-8 bytes, or the accounting is wrong and bpb would lie.
     */
    public long auditedTextBytes(int[] tokenByteLengths) {
        long tokenBytes = targetTokenBytes(tokenByteLengths);
        long textBytes = stream.textBytes();
        if (tokenBytes != textBytes) {
            throw new IllegalStateException("byte audit failed: target tokens carry " + tokenBytes
                    + " bytes but the documents' text has " + textBytes + " UTF-8 bytes");
        }
        return textBytes;
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("window index must be in [0, " + count + "), got " + i);
        }
    }
}
