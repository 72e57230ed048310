package headroom.core;

import java.util.Objects;

/**
 * Tokenized documents held in memory, in order: each document is {@code [BOS] + ids}.
 * Token ids fit uint16 (vocabularies up to 65,536), so a char per token.
 *
 * <p>{@code docStart[i]} is the offset of document i's BOS in {@code tokens};
 * {@code docBytes[i]} is the UTF-8 byte length of document i's text, recorded when it was
 * encoded and audited, so bits per byte on any prefix of documents has an exact denominator.
 */
public record TokenStream(char[] tokens, long[] docStart, int[] docBytes) {

    public TokenStream {
        Objects.requireNonNull(tokens, "tokens");
        if (docStart.length != docBytes.length) {
            throw new IllegalArgumentException("docStart and docBytes differ in length: " + docStart.length + " vs " + docBytes.length);
        }
    }

    public int documents() {
        return docStart.length;
    }

    public long size() {
        return tokens.length;
    }

    public int token(long position) {
        return tokens[Math.toIntExact(position)];
    }

    /** The first {@code n} documents (for a fixed evaluation subset). */
    public TokenStream firstDocuments(int n) {
        int k = Math.min(n, documents());
        long end = k == documents() ? tokens.length : docStart[k];
        char[] t = java.util.Arrays.copyOf(tokens, Math.toIntExact(end));
        return new TokenStream(t, java.util.Arrays.copyOf(docStart, k), java.util.Arrays.copyOf(docBytes, k));
    }

    /** UTF-8 bytes of all documents' text: the denominator of bits per byte. */
    public long textBytes() {
        long sum = 0;
        for (int b : docBytes) sum += b;
        return sum;
    }
}
