package headroom.tokenizer;

/**
 * One distinct pre-token during training: its current symbols (token ids, as chars since ids fit
 * uint16). It knows nothing about counts; the trainer scales the deltas by the word's count.
 *
 * <p>Symbols live in one array compacted in place by each merge (tokenizers' word.rs keeps a
 * vector of linked symbols; a pre-token is short, so one pass over a flat array is simpler and
 * cheaper than relinking).
 */
final class Word {
    private final char[] symbols;
    private int size;

    Word(byte[] bytes) {
        symbols = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            symbols[i] = (char) (bytes[i] & 0xFF);
        }
        size = bytes.length;
    }

    int size() {
        return size;
    }

    int symbol(int index) {
        return symbols[index];
    }

    /**
     * Replaces every non-overlapping occurrence of {@code left right}, scanning left to right, by
     * {@code newId}, and appends to {@code deltas} the change of every adjacent pair it touched
     * (the merged pair included). Returns the number of occurrences merged: tokens removed.
     */
    int merge(int left, int right, int newId, PairDeltas deltas) {
        int merged = 0;
        int out = 0;
        int i = 0;
        while (i < size) {
            if (i + 1 < size && symbols[i] == left && symbols[i + 1] == right) {
                if (out > 0) {
                    // the pair before, (prev, left), becomes (prev, newId); prev may itself be new
                    int prev = symbols[out - 1];
                    deltas.add(prev, left, -1);
                    deltas.add(prev, newId, +1);
                }
                deltas.add(left, right, -1);
                if (i + 2 < size) {
                    // the pair after, (right, next), becomes (newId, next)
                    int next = symbols[i + 2];
                    deltas.add(right, next, -1);
                    deltas.add(newId, next, +1);
                }
                symbols[out++] = (char) newId;
                i += 2;
                merged++;
            } else {
                symbols[out++] = symbols[i++];
            }
        }
        size = out;
        return merged;
    }
}
