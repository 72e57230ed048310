package headroom.tokenizer.shards;

import headroom.core.TokenStream;
import java.util.Arrays;

/** Small synthetic corpora for the shard tests. */
final class TestDocs {

    private TestDocs() {
    }

    /** {@code [bosId] + docs[i]} concatenated, with the given text bytes per document. */
    static TokenStream stream(int bosId, int[][] docs, int[] docBytes) {
        int size = Arrays.stream(docs).mapToInt(d -> d.length + 1).sum();
        char[] tokens = new char[size];
        long[] docStart = new long[docs.length];
        int p = 0;
        for (int d = 0; d < docs.length; d++) {
            docStart[d] = p;
            tokens[p++] = (char) bosId;
            for (int id : docs[d]) {
                tokens[p++] = (char) id;
            }
        }
        return new TokenStream(tokens, docStart, docBytes.clone());
    }

    /** The stream 0, 1, 2, ..., size - 1 as one document (positions are their own tokens). */
    static TokenStream counting(int size) {
        char[] tokens = new char[size];
        for (int i = 0; i < size; i++) {
            tokens[i] = (char) i;
        }
        return new TokenStream(tokens, new long[] {0}, new int[] {size - 1});
    }

    /** Document d of a deterministic corpus: length d % 37, ids spread over the whole uint16 range. */
    static int[] doc(int d) {
        int[] ids = new int[d % 37];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = (d * 7919 + i * 104729) & 0xFFFF;
        }
        return ids;
    }
}
