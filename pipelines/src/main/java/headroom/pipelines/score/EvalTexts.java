package headroom.pipelines.score;

import headroom.pipelines.prep.DocumentReader;
import headroom.pipelines.prep.InputFiles;
import headroom.pipelines.prep.PrepConf;
import headroom.tokenizer.BpeEncoder;
import headroom.tokenizer.BpeModel;
import headroom.tokenizer.shards.TokenStream;
import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The evaluated documents: read (out-of-domain file) and encoded as {@code [BOS] + ids} per document (DESIGN.md, "bits per byte"). */
final class EvalTexts {

    private EvalTexts() {
    }

    /** Every document encoded in order with the Java encoder; docBytes records each text's UTF-8 length for the byte audit. */
    static TokenStream encode(List<String> documents, BpeModel tokenizer) {
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
    static double tokensPerByte(TokenStream stream) {
        return (double) (stream.size() - stream.documents()) / stream.textBytes();
    }

    /** The documents' text bytes back to back: what the classical compressors are scored on. */
    static byte[] concatenatedBytes(List<String> documents) {
        StringBuilder all = new StringBuilder();
        for (String d : documents) all.append(d);
        return all.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The out-of-domain set as the sweep measured it: one document per line, skipping what prep would
     * quarantine (invalid UTF-8, blank lines); at most {@code maxDocs} documents, 0 = all.
     */
    static List<String> heldout(String path, Configuration hadoop, int maxDocs) throws IOException {
        List<String> docs = new ArrayList<>();
        for (InputFiles.InputFile f : InputFiles.list(List.of(path), hadoop).files()) {
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(f.path());
            try (DocumentReader reader = new DocumentReader(f.path(), p.getFileSystem(hadoop).open(p), f.format(), PrepConf.TxtMode.LINES,
                    "text", Integer.MAX_VALUE - 16)) {
                while (reader.hasNext() && (maxDocs == 0 || docs.size() < maxDocs)) {
                    var doc = reader.next();
                    if (doc.problem() != null) continue;
                    String s = new String(doc.raw(), StandardCharsets.UTF_8);
                    if (!s.isBlank() && Arrays.equals(s.getBytes(StandardCharsets.UTF_8), doc.raw())) docs.add(s);
                }
            }
        }
        return docs;
    }
}
