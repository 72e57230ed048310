package headroom.tokenizer;

import java.util.Arrays;
import java.util.List;

/** Merge rank of each pair (left, right): an open-addressing map from pair to its index in the merge list. */
final class PairRanks {
    private static final long EMPTY = -1;

    private final long[] keys;  // (capacity) left << 16 | right, or EMPTY
    private final int[] ranks;  // (capacity)

    PairRanks(List<MergeStep> merges) {
        int capacity = Integer.highestOneBit(Math.max(8, merges.size()) * 2 - 1) * 2;
        keys = new long[capacity];
        ranks = new int[capacity];
        Arrays.fill(keys, EMPTY);
        for (int rank = 0; rank < merges.size(); rank++) {
            long key = PairTable.key(merges.get(rank).left(), merges.get(rank).right());
            int slot = slotOf(key);
            keys[slot] = key;
            ranks[slot] = rank;
        }
    }

    /** The rank of pair (left, right), or -1 if it is not a merge. */
    int rank(int left, int right) {
        int slot = slotOf(PairTable.key(left, right));
        return keys[slot] == EMPTY ? -1 : ranks[slot];
    }

    private int slotOf(long key) {
        int mask = keys.length - 1;
        long h = key * 0x9E3779B97F4A7C15L;
        int slot = (int) (h ^ (h >>> 32)) & mask;
        while (keys[slot] != EMPTY && keys[slot] != key) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }
}
