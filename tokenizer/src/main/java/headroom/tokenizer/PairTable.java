package headroom.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Training state per adjacent pair: its weighted count and the indices of the words that contain
 * it (tokenizers' pair_counts and where_to_update in one open-addressing table, no boxing).
 * A word list may hold words that lost the pair since; merging such a word simply finds nothing.
 */
final class PairTable {
    private static final long EMPTY = -1;

    private long[] keys;      // (capacity) left << 16 | right, or EMPTY
    private long[] counts;    // (capacity)
    private int[][] words;    // (capacity, listed) word indices, null when none
    private int[] listed;     // (capacity) entries used in words[slot]
    private int size;

    PairTable(int expectedPairs) {
        int capacity = Integer.highestOneBit(Math.max(16, expectedPairs) * 2 - 1) * 2;
        allocate(capacity);
    }

    static long key(int left, int right) {
        return ((long) left << 16) | right;
    }

    static int left(long key) {
        return (int) (key >>> 16);
    }

    static int right(long key) {
        return (int) (key & 0xFFFF);
    }

    /** The slot of pair {@code key}, inserted with count 0 if new. Slots change when the table grows. */
    int slot(long key) {
        if (2 * (size + 1) > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        int slot = hash(key) & mask;
        while (keys[slot] != EMPTY) {
            if (keys[slot] == key) {
                return slot;
            }
            slot = (slot + 1) & mask;
        }
        keys[slot] = key;
        size++;
        return slot;
    }

    long count(long key) {
        int mask = keys.length - 1;
        int slot = hash(key) & mask;
        while (keys[slot] != EMPTY) {
            if (keys[slot] == key) {
                return counts[slot];
            }
            slot = (slot + 1) & mask;
        }
        return 0;
    }

    void addCount(int slot, long delta) {
        counts[slot] += delta;
    }

    /** Lists {@code word} under the pair, unless it is already the last one listed there. */
    void addWord(int slot, int word) {
        int[] list = words[slot];
        int n = listed[slot];
        if (list == null) {
            list = words[slot] = new int[4];
        } else if (n > 0 && list[n - 1] == word) {
            return;
        } else if (n == list.length) {
            list = words[slot] = Arrays.copyOf(list, n * 2);
        }
        list[n] = word;
        listed[slot] = n + 1;
    }

    /** The words listed under pair {@code key} (maybe repeated or stale), and forgets them. */
    int[] takeWords(long key) {
        int slot = slot(key);
        int[] list = words[slot] == null ? new int[0] : Arrays.copyOf(words[slot], listed[slot]);
        words[slot] = null;
        listed[slot] = 0;
        return list;
    }

    /** A queue entry for every pair seen at least {@code minCount} times. */
    List<Merge> frequentPairs(long minCount) {
        List<Merge> merges = new ArrayList<>();
        for (int slot = 0; slot < keys.length; slot++) {
            if (keys[slot] != EMPTY && counts[slot] >= minCount) {
                merges.add(new Merge(counts[slot], left(keys[slot]), right(keys[slot])));
            }
        }
        return merges;
    }

    int size() {
        return size;
    }

    private static int hash(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        Arrays.fill(keys, EMPTY);
        counts = new long[capacity];
        words = new int[capacity][];
        listed = new int[capacity];
    }

    private void grow() {
        long[] oldKeys = keys;
        long[] oldCounts = counts;
        int[][] oldWords = words;
        int[] oldListed = listed;
        allocate(oldKeys.length * 2);
        int mask = keys.length - 1;
        for (int old = 0; old < oldKeys.length; old++) {
            if (oldKeys[old] == EMPTY) {
                continue;
            }
            int slot = hash(oldKeys[old]) & mask;
            while (keys[slot] != EMPTY) {
                slot = (slot + 1) & mask;
            }
            keys[slot] = oldKeys[old];
            counts[slot] = oldCounts[old];
            words[slot] = oldWords[old];
            listed[slot] = oldListed[old];
        }
    }
}
