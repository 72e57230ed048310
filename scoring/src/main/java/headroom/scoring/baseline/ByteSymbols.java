package headroom.scoring.baseline;

import headroom.core.TokenStream;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Documents as the byte n-gram reads them: each one {@code [EOD] + its UTF-8 bytes}, the layout of the models'
 * {@code [BOS] + ids} (DESIGN.md, "bits per byte"), so that every position after the first is a target and the next
 * document's EOD carries the boundary. Symbols 0..255 are the byte values, {@link #EOD} = 256.
 */
public final class ByteSymbols {

    public static final int EOD = 256;
    public static final int ALPHABET = 257;
    /** Bytes each symbol carries, for {@link headroom.core.ByteAudit}: 1 per byte value, 0 for EOD. */
    static final int[] BYTE_LENGTHS = byteLengths();

    private ByteSymbols() {
    }

    public static TokenStream encode(List<String> documents) {
        return encodeBytes(documents.stream().map(d -> d.getBytes(StandardCharsets.UTF_8)).toList());
    }

    /** Documents given as their bytes. */
    public static TokenStream encodeBytes(List<byte[]> documents) {
        if (documents.isEmpty()) throw new IllegalArgumentException("no documents to encode");
        long size = 0;
        for (byte[] d : documents) size += d.length + 1;
        if (size > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("documents of " + size + " bytes do not fit one stream");
        char[] symbols = new char[(int) size];
        long[] docStart = new long[documents.size()];
        int[] docBytes = new int[documents.size()];
        int at = 0;
        for (int d = 0; d < documents.size(); d++) {
            docStart[d] = at;
            docBytes[d] = documents.get(d).length;
            symbols[at++] = EOD;
            for (byte b : documents.get(d)) symbols[at++] = (char) (b & 0xFF);
        }
        return new TokenStream(symbols, docStart, docBytes);
    }

    private static int[] byteLengths() {
        int[] lengths = new int[ALPHABET];
        Arrays.fill(lengths, 0, 256, 1);
        return lengths;
    }
}
