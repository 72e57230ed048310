package headroom.tokenizer;

import java.io.Serializable;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A trained byte-level BPE tokenizer: the specials and the ordered merges. Ids as in
 * {@link BpeConfig}: bytes 0..255, specials from 256 (the first is BOS), then one per merge.
 * Every prefix of the merge list is itself a tokenizer ({@link #truncate}).
 */
public final class BpeModel implements Serializable {
    private static final long serialVersionUID = 1L;

    private final List<String> specialTokens;
    private final List<MergeStep> merges;
    private final byte[][] tokenBytes; // (vocabSize, token length); empty for specials

    public BpeModel(List<String> specialTokens, List<MergeStep> merges) {
        this.specialTokens = BpeConfig.checkSpecialTokens(specialTokens);
        this.merges = List.copyOf(merges);
        int firstMergeId = firstMergeId();
        if (firstMergeId + this.merges.size() > BpeConfig.MAX_VOCAB_SIZE) {
            throw new IllegalArgumentException("vocabSize must be <= " + BpeConfig.MAX_VOCAB_SIZE + ", got "
                    + (firstMergeId + this.merges.size()));
        }
        tokenBytes = new byte[firstMergeId + this.merges.size()][];
        for (int b = 0; b < 256; b++) {
            tokenBytes[b] = new byte[] {(byte) b};
        }
        for (int id = 256; id < firstMergeId; id++) {
            tokenBytes[id] = new byte[0];
        }
        Set<Bytes> distinct = new HashSet<>(); // one id per byte string, as tokenizer.json's vocab needs
        for (int i = 0; i < this.merges.size(); i++) {
            MergeStep merge = this.merges.get(i);
            if (merge.newId() != firstMergeId + i) {
                throw new IllegalArgumentException("merge " + i + " must make id " + (firstMergeId + i) + ", got " + merge);
            }
            if (isSpecial(merge.left()) || isSpecial(merge.right())) {
                throw new IllegalArgumentException("merge " + i + " must not use a special token, got " + merge);
            }
            byte[] left = tokenBytes[merge.left()];
            byte[] right = tokenBytes[merge.right()];
            byte[] joined = java.util.Arrays.copyOf(left, left.length + right.length);
            System.arraycopy(right, 0, joined, left.length, right.length);
            tokenBytes[merge.newId()] = joined;
            if (!distinct.add(new Bytes(joined))) {
                throw new IllegalArgumentException("merge " + i + " rebuilds the bytes of an earlier token, got " + merge);
            }
        }
    }

    /** Ids in all: 256 bytes + specials + merges. */
    public int vocabSize() {
        return tokenBytes.length;
    }

    /** The document-boundary token, the first special. */
    public int bosId() {
        return 256;
    }

    public int firstMergeId() {
        return 256 + specialTokens.size();
    }

    public List<String> specialTokens() {
        return specialTokens;
    }

    public List<MergeStep> merges() {
        return merges;
    }

    public boolean isSpecial(int id) {
        return id >= 256 && id < firstMergeId();
    }

    /** The tokenizer of size {@code vocabSize}: the first {@code vocabSize - firstMergeId()} merges. */
    public BpeModel truncate(int vocabSize) {
        if (vocabSize < firstMergeId() || vocabSize > vocabSize()) {
            throw new IllegalArgumentException("vocabSize must be in [" + firstMergeId() + ", " + vocabSize()
                    + "] for this model (it learned " + merges.size() + " merges), got " + vocabSize);
        }
        return new BpeModel(specialTokens, merges.subList(0, vocabSize - firstMergeId()));
    }

    /** The bytes token {@code id} stands for (a copy); empty for a special token. */
    public byte[] tokenBytes(int id) {
        return tokenBytes[id].clone();
    }

    /** Byte length of every token, indexed by id: 0 for specials (DESIGN.md "Bits per byte"). */
    public int[] tokenByteLengths() {
        int[] lengths = new int[tokenBytes.length];
        for (int id = 0; id < lengths.length; id++) {
            lengths[id] = tokenBytes[id].length;
        }
        return lengths;
    }

    /**
     * Exact token count of the training text at {@code vocabSize}: each merge removed exactly its
     * count of tokens from the {@code trainBytes} byte tokens it started from.
     */
    public long trainTokens(long trainBytes, int vocabSize) {
        if (!hasCounts()) {
            throw new IllegalStateException("this model has no merge counts (it was read from a file, not trained)");
        }
        int used = truncate(vocabSize).merges.size();
        long tokens = trainBytes;
        for (int i = 0; i < used; i++) {
            tokens -= merges.get(i).count();
        }
        if (tokens < 0) {
            throw new IllegalArgumentException("trainBytes " + trainBytes + " is smaller than the merges removed: "
                    + "not the byte count of this model's training text");
        }
        return tokens;
    }

    /** Whether every merge carries its training count (true for a trained model). */
    public boolean hasCounts() {
        return merges.stream().allMatch(m -> m.count() > 0);
    }

    /** Same specials and same merge pairs, whatever the counts: the same tokenizer. */
    public boolean sameMerges(BpeModel other) {
        if (!specialTokens.equals(other.specialTokens) || merges.size() != other.merges.size()) {
            return false;
        }
        for (int i = 0; i < merges.size(); i++) {
            MergeStep a = merges.get(i);
            MergeStep b = other.merges.get(i);
            if (a.left() != b.left() || a.right() != b.right()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BpeModel that && specialTokens.equals(that.specialTokens) && merges.equals(that.merges);
    }

    @Override
    public int hashCode() {
        return 31 * specialTokens.hashCode() + merges.hashCode();
    }

    @Override
    public String toString() {
        return "BpeModel[vocabSize=" + vocabSize() + ", specials=" + specialTokens + ", merges=" + merges.size() + "]";
    }
}
