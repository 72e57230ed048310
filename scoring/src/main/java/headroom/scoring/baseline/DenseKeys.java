package headroom.scoring.baseline;

import java.util.Arrays;

/**
 * Non-negative long keys to dense ids 0, 1, 2, ... in order of first insertion: open addressing with linear probing,
 * no boxing. The n-gram model keeps its counts in int arrays indexed by these ids.
 */
final class DenseKeys {
    private static final long EMPTY = -1;
    private static final double MAX_LOAD = 0.7;

    private long[] keys; // (capacity) the key in each slot, or EMPTY
    private int[] ids;   // (capacity) the key's dense id
    private int size;

    DenseKeys(int expected) {
        allocate(Integer.highestOneBit((int) Math.min(1 << 30, Math.max(16, (long) (expected / MAX_LOAD)))) * 2);
    }

    int size() {
        return size;
    }

    /** The id of {@code key}, or -1 when it was never added. */
    int id(long key) {
        int mask = keys.length - 1;
        for (int slot = hash(key) & mask; keys[slot] != EMPTY; slot = (slot + 1) & mask) {
            if (keys[slot] == key) return ids[slot];
        }
        return -1;
    }

    /** The id of {@code key}, the next free one when it is new. */
    int add(long key) {
        if (size + 1 > MAX_LOAD * keys.length) grow();
        int mask = keys.length - 1;
        int slot = hash(key) & mask;
        for (; keys[slot] != EMPTY; slot = (slot + 1) & mask) {
            if (keys[slot] == key) return ids[slot];
        }
        keys[slot] = key;
        ids[slot] = size;
        return size++;
    }

    /** Every key at its id: {@code keys[id]}. */
    long[] keysById() {
        long[] out = new long[size];
        for (int slot = 0; slot < keys.length; slot++) {
            if (keys[slot] != EMPTY) out[ids[slot]] = keys[slot];
        }
        return out;
    }

    /** Heap bytes of the table itself. */
    long bytes() {
        return 12L * keys.length;
    }

    private static int hash(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        Arrays.fill(keys, EMPTY);
        ids = new int[capacity];
    }

    private void grow() {
        if (keys.length >= 1 << 30) throw new IllegalStateException("more than " + (long) (MAX_LOAD * (1 << 30)) + " distinct n-grams");
        long[] oldKeys = keys;
        int[] oldIds = ids;
        allocate(oldKeys.length * 2);
        int mask = keys.length - 1;
        for (int old = 0; old < oldKeys.length; old++) {
            if (oldKeys[old] == EMPTY) continue;
            int slot = hash(oldKeys[old]) & mask;
            while (keys[slot] != EMPTY) slot = (slot + 1) & mask;
            keys[slot] = oldKeys[old];
            ids[slot] = oldIds[old];
        }
    }
}
