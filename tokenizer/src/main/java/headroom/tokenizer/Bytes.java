package headroom.tokenizer;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An immutable byte string compared by content: the key of pre-token counts.
 * (A record over {@code byte[]} would compare arrays by reference.)
 */
public final class Bytes implements Comparable<Bytes>, Serializable {
    private static final long serialVersionUID = 1L;

    private final byte[] bytes;
    private final int hash;

    /** Copies {@code bytes}, so later changes to the caller's array do not reach this value. */
    public Bytes(byte[] bytes) {
        this.bytes = bytes.clone();
        this.hash = Arrays.hashCode(this.bytes);
    }

    /** The UTF-8 bytes of {@code text}. */
    public static Bytes of(String text) {
        return new Bytes(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A copy of the bytes. */
    public byte[] array() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Bytes that && hash == that.hash && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** Unsigned lexicographic order, so the order of UTF-8 strings is code point order. */
    @Override
    public int compareTo(Bytes other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public String toString() {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
