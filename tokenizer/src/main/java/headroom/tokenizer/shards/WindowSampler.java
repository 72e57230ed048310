package headroom.tokenizer.shards;

/**
 * Training windows of {@code seqLen + 1} tokens (inputs and shifted targets) from a token stream.
 * Window {@code index} starts at a uniform position drawn from a counter-based hash of
 * {@code (seed, index)} alone, so a run resumed at window i draws exactly the windows the
 * uninterrupted run would have, whatever was drawn before.
 */
public final class WindowSampler {

    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private final TokenStream stream;
    private final int seqLen;
    private final long seed;
    private final long starts; // number of valid start positions: size - (seqLen + 1) + 1

    /**
     * @param seqLen T, the tokens a model sees per window (windows hold T + 1)
     */
    public WindowSampler(TokenStream stream, int seqLen, long seed) {
        if (seqLen < 1) {
            throw new IllegalArgumentException("seqLen must be >= 1, got " + seqLen);
        }
        if (stream.size() < seqLen + 1L) {
            throw new IllegalArgumentException("the token stream must hold at least seqLen + 1 = " + (seqLen + 1L)
                    + " tokens to draw a window, got " + stream.size());
        }
        this.stream = stream;
        this.seqLen = seqLen;
        this.seed = seed;
        this.starts = stream.size() - seqLen;
    }

    /** The stream position where window {@code index} starts: a pure function of (seed, index). */
    public long start(long index) {
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0, got " + index);
        }
        long key = mix64(mix64(seed) + index * GOLDEN_GAMMA);
        // Rejection keeps the draw exactly uniform: retry the (rare) values in the incomplete last block.
        for (long attempt = 1; ; attempt++) {
            long r = key >>> 1;
            long m = r % starts;
            if (r - m + (starts - 1) >= 0) {
                return m;
            }
            key = mix64(key + attempt * GOLDEN_GAMMA);
        }
    }

    /** Tokens {@code [start(index), start(index) + seqLen]}: T + 1 of them. */
    public int[] window(long index) {
        long start = start(index);
        int[] window = new int[seqLen + 1];
        for (int i = 0; i <= seqLen; i++) {
            window[i] = stream.token(start + i);
        }
        return window;
    }

    /** Windows {@code firstIndex .. firstIndex + batchSize - 1}: shape (batchSize, T + 1). */
    public int[][] batch(long firstIndex, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        int[][] batch = new int[batchSize][];
        for (int b = 0; b < batchSize; b++) {
            batch[b] = window(firstIndex + b);
        }
        return batch;
    }

    public int seqLen() {
        return seqLen;
    }

    public long seed() {
        return seed;
    }

    /** SplitMix64's finalizer (Steele, Lea, Flood 2014): a bijection that scrambles all 64 bits. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
