package headroom.scoring;

import headroom.tokenizer.BpeEncoder;
import headroom.tokenizer.BpeModel;
import headroom.core.TokenStream;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** The evaluated documents: read (out-of-domain file) and encoded as {@code [BOS] + ids} per document (DESIGN.md, "bits per byte"). */
public final class EvalTexts {

    private EvalTexts() {
    }

    /** Every document encoded in order with the Java encoder; docBytes records each text's UTF-8 length for the byte audit. */
    public static TokenStream encode(List<String> documents, BpeModel tokenizer) {
        if (documents.isEmpty()) throw new IllegalArgumentException("no documents to evaluate");
        BpeEncoder encoder = new BpeEncoder(tokenizer);
        char[] tokens = new char[1024];
        long[] docStart = new long[documents.size()];
        int[] docBytes = new int[documents.size()];
        int size = 0;
        for (int d = 0; d < documents.size(); d++) {
            String text = documents.get(d);
            int[] ids = encoder.encode(text);
            if (size + ids.length + 1 > tokens.length) tokens = Arrays.copyOf(tokens, Math.max(2 * tokens.length, size + ids.length + 1));
            docStart[d] = size;
            docBytes[d] = text.getBytes(StandardCharsets.UTF_8).length;
            tokens[size++] = (char) tokenizer.bosId();
            for (int id : ids) tokens[size++] = (char) id;
        }
        return new TokenStream(Arrays.copyOf(tokens, size), docStart, docBytes);
    }

    /** Tokens per byte of the documents' text, BOS excluded (the sweep's definition). */
    public static double tokensPerByte(TokenStream stream) {
        return (double) (stream.size() - stream.documents()) / stream.textBytes();
    }

    /** The documents' text bytes back to back: what the classical compressors are scored on. */
    public static byte[] concatenatedBytes(List<String> documents) {
        StringBuilder all = new StringBuilder();
        for (String d : documents) all.append(d);
        return all.toString().getBytes(StandardCharsets.UTF_8);
    }
}
