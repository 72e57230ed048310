package headroom.tokenizer;

/**
 * A queue entry: pair {@code (left, right)} seen {@code count} times when it was pushed. Ordered
 * by count descending, then pair ascending, so training is deterministic (tokenizers trainer.rs).
 */
record Merge(long count, int left, int right) implements Comparable<Merge> {

    @Override
    public int compareTo(Merge other) {
        if (count != other.count) {
            return Long.compare(other.count, count);
        }
        if (left != other.left) {
            return Integer.compare(left, other.left);
        }
        return Integer.compare(right, other.right);
    }
}
