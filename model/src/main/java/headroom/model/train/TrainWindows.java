package headroom.model.train;

import headroom.core.TokenStream;

/**
 * Training windows of T+1 tokens at pseudo-random offsets. Window i's offset is a pure function of
 * (seed, i), so a run resumed at window index k draws exactly the windows it would have drawn.
 */
record TrainWindows(TokenStream stream, int seqLen, long seed) {

    TrainWindows {
        if (stream.size() < seqLen + 1L) {
            throw new IllegalArgumentException("training stream has " + stream.size() + " tokens; a window needs seqLen + 1 = " + (seqLen + 1));
        }
    }

    /** Start of window {@code index}: uniform over [0, size - T - 1]. */
    long offset(long index) {
        long positions = stream.size() - seqLen;
        return Math.floorMod(mix(seed * 0x9E3779B97F4A7C15L + index), positions);
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
