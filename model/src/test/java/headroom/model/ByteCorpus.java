package headroom.model;

import headroom.core.TokenStream;
import org.tukaani.xz.XZInputStream;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The demo corpus as byte-level tokens, independent of the BPE code: each non-empty line is a
 * document {@code [BOS=256] + its UTF-8 bytes}.
 */
public final class ByteCorpus {

    public static final int BOS = 256;
    public static final int VOCAB_SIZE = 257;

    private ByteCorpus() {
    }

    /** 1 byte for each byte token, 0 for BOS. */
    public static int[] tokenByteLengths() {
        int[] lengths = new int[VOCAB_SIZE];
        Arrays.fill(lengths, 0, 256, 1);
        return lengths;
    }

    /** Documents [skip, skip + count) of the demo corpus. */
    public static TokenStream documents(int skip, int count) {
        List<byte[]> docs = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new XZInputStream(Files.newInputStream(corpusPath())), StandardCharsets.UTF_8))) {
            int seen = 0;
            for (String line = r.readLine(); line != null && docs.size() < count; line = r.readLine()) {
                if (line.isBlank()) continue;
                if (seen++ >= skip) docs.add(line.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return of(docs);
    }

    public static TokenStream of(List<byte[]> docs) {
        int total = docs.stream().mapToInt(d -> d.length + 1).sum();
        char[] tokens = new char[total];
        long[] docStart = new long[docs.size()];
        int[] docBytes = new int[docs.size()];
        int pos = 0;
        for (int i = 0; i < docs.size(); i++) {
            docStart[i] = pos;
            docBytes[i] = docs.get(i).length;
            tokens[pos++] = BOS;
            for (byte b : docs.get(i)) tokens[pos++] = (char) (b & 0xFF);
        }
        return new TokenStream(tokens, docStart, docBytes);
    }

    private static Path corpusPath() {
        Path inRepo = Path.of(System.getProperty("headroom.repo.root", "."), "data", "demo", "austen.txt.xz");
        return Files.exists(inRepo) ? inRepo : Path.of("/work/shared/data/demo_austen.txt.xz");
    }
}
