package headroom.tokenizer;

import java.util.Arrays;

/** A reusable buffer of (left, right, delta) pair-count changes, filled by {@link Word#merge}. */
final class PairDeltas {
    private int[] lefts = new int[64];
    private int[] rights = new int[64];
    private int[] deltas = new int[64];
    private int size;

    void add(int left, int right, int delta) {
        if (size == lefts.length) {
            lefts = Arrays.copyOf(lefts, size * 2);
            rights = Arrays.copyOf(rights, size * 2);
            deltas = Arrays.copyOf(deltas, size * 2);
        }
        lefts[size] = left;
        rights[size] = right;
        deltas[size] = delta;
        size++;
    }

    int size() {
        return size;
    }

    int left(int index) {
        return lefts[index];
    }

    int right(int index) {
        return rights[index];
    }

    int delta(int index) {
        return deltas[index];
    }

    void clear() {
        size = 0;
    }
}
