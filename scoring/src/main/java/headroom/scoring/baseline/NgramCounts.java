package headroom.scoring.baseline;

import java.util.Arrays;

import static headroom.scoring.baseline.ByteSymbols.ALPHABET;

/**
 * Raw counts of every n-gram of orders 1..maxOrder ending at the targets added so far, in two {@link DenseKeys}
 * tables: contexts as a trie of reversed histories (key = parent context x 257 + the next older symbol), so one walk
 * back from a position visits its contexts of every length, and n-grams (key = context x 257 + symbol). Counts only
 * grow: adding the rest of a stream gives the counts of the whole stream.
 */
final class NgramCounts {

    static final int ROOT = 0;

    final int maxOrder;
    final DenseKeys contexts = new DenseKeys(1 << 16); // reversed histories -> context id; ROOT is the empty history
    final DenseKeys ngrams = new DenseKeys(1 << 16);   // (context, symbol) -> n-gram id
    int[] parent = new int[1024];                       // (contexts) the context one symbol shorter
    byte[] depth = new byte[1024];                      // (contexts) its length: order - 1
    int[] raw = new int[1024];                          // (n-grams) occurrences
    private long targets;                               // positions counted: a model notices when counts change under it

    NgramCounts(int maxOrder) {
        if (maxOrder < 1 || maxOrder > 64) throw new IllegalArgumentException("maxOrder must be in 1..64, got " + maxOrder);
        this.maxOrder = maxOrder;
        contexts.add(Long.MAX_VALUE); // ROOT: no real key reaches it
    }

    /** Counts the targets at positions {@code from..to-1} of {@code s} (from >= 1); their contexts may reach back before {@code from}. */
    void add(char[] s, int from, int to) {
        if (from < 1 || to > s.length) throw new IllegalArgumentException("targets " + from + ".." + to + " outside 1.." + s.length);
        for (int i = from; i < to; i++) {
            int w = symbol(s, i);
            int ctx = ROOT;
            for (int order = 1; ; order++) {
                int g = ngrams.add(key(ctx, w));
                if (g == raw.length) raw = Arrays.copyOf(raw, 2 * g);
                raw[g]++;
                if (order == maxOrder || i - order < 0) break;
                int child = contexts.add(key(ctx, symbol(s, i - order)));
                if (child == parent.length) {
                    parent = Arrays.copyOf(parent, 2 * child);
                    depth = Arrays.copyOf(depth, 2 * child);
                }
                parent[child] = ctx;
                depth[child] = (byte) order;
                ctx = child;
            }
        }
        targets += Math.max(0, to - from);
    }

    long targets() {
        return targets;
    }

    static long key(int ctx, int symbol) {
        return (long) ctx * ALPHABET + symbol;
    }

    static int symbol(char[] s, int i) {
        int w = s[i];
        if (w >= ALPHABET) throw new IllegalArgumentException("symbol " + w + " at position " + i + " is outside the byte alphabet 0.." + (ALPHABET - 1));
        return w;
    }
}
