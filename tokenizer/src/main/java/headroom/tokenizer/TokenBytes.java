package headroom.tokenizer;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/** The byte string of every id made so far during training, to keep one id per byte string. */
final class TokenBytes {
    private final byte[][] bytes; // (vocabSize, token length)
    private final Set<Bytes> merged = new HashSet<>();

    TokenBytes(int vocabSize) {
        bytes = new byte[vocabSize][];
        for (int b = 0; b < 256; b++) {
            bytes[b] = new byte[] {(byte) b};
        }
    }

    /** Records {@code newId} as {@code left + right} and returns its bytes, or null if an earlier merge made them. */
    byte[] join(int left, int right, int newId) {
        byte[] joined = Arrays.copyOf(bytes[left], bytes[left].length + bytes[right].length);
        System.arraycopy(bytes[right], 0, joined, bytes[left].length, bytes[right].length);
        if (!merged.add(new Bytes(joined))) {
            return null;
        }
        bytes[newId] = joined;
        return joined;
    }
}
