package headroom.tokenizer.shards;

import headroom.core.TokenStream;
import headroom.core.io.Sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenShardWriterTest {

    private static final int BOS = 65535;

    @TempDir
    Path dir;

    @Test
    void roundTripKeepsIdsBoundariesAndBytesAcrossManyBatches() throws IOException {
        // 1,000 docs of 0..36 ids in batches of at most 64 rows / 300 tokens: dozens of batches
        Path file = dir.resolve("part-00000.arrow");
        ShardSummary written;
        try (TokenShardWriter writer = new TokenShardWriter(file, 64, 300)) {
            for (int d = 0; d < 1000; d++) {
                writer.writeDocument(d, BOS, TestDocs.doc(d), 3 * d);
            }
            written = writer.finish();
        }

        TokenStream stream = TokenShardReader.read(List.of(file));
        assertEquals(1000, stream.documents());
        long expectedTokens = 0;
        for (int d = 0; d < 1000; d++) {
            int[] ids = TestDocs.doc(d);
            assertEquals(expectedTokens, stream.docStart()[d], "docStart of doc " + d);
            assertEquals(3 * d, stream.docBytes()[d], "docBytes of doc " + d);
            assertEquals(BOS, stream.token(expectedTokens), "BOS of doc " + d);
            for (int i = 0; i < ids.length; i++) {
                assertEquals(ids[i], stream.token(expectedTokens + 1 + i), "doc " + d + " id " + i);
            }
            expectedTokens += ids.length + 1;
        }
        assertEquals(expectedTokens, stream.size());
        // sum of 3*d for d < 1000
        assertEquals(1_498_500L, stream.textBytes());

        assertEquals(new ShardSummary("part-00000.arrow", 1000, expectedTokens, 1_498_500L, Sha256.of(file)), written);
        assertEquals(written, TokenShardReader.summarize(file));
    }

    @Test
    void readConcatenatesShardsInTheGivenOrder() throws IOException {
        Path a = writeShard("a.arrow", new int[][] {{1, 2}}, new int[] {5});
        Path b = writeShard("b.arrow", new int[][] {{3}, {}}, new int[] {2, 0});

        TokenStream stream = TokenShardReader.read(List.of(b, a));

        assertArrayEquals(new char[] {0, 3, 0, 0, 1, 2}, stream.tokens());
        assertArrayEquals(new long[] {0, 2, 3}, stream.docStart());
        assertArrayEquals(new int[] {2, 0, 5}, stream.docBytes());
    }

    @Test
    void anEmptyShardIsValid() throws IOException {
        Path file = dir.resolve("empty.arrow");
        try (TokenShardWriter writer = new TokenShardWriter(file)) {
            ShardSummary summary = writer.finish();
            assertEquals(0, summary.documents());
            assertEquals(0, summary.tokens());
        }
        assertEquals(0, TokenShardReader.read(List.of(file)).size());
    }

    @Test
    void aWriterClosedWithoutFinishLeavesNoFileAtAll() throws IOException {
        Path file = dir.resolve("part-00001.arrow");
        try (TokenShardWriter writer = new TokenShardWriter(file, 4, 100)) {
            for (int d = 0; d < 20; d++) {
                writer.writeDocument(d, BOS, TestDocs.doc(d), d);
            }
            assertEquals(1, listDir().size(), "the temp file exists while writing");
            assertFalse(Files.exists(file), "the final name appears only on finish");
        }
        assertEquals(List.of(), listDir());
    }

    @Test
    void aFailingTaskLeavesNoFileAtAll() throws IOException {
        Path file = dir.resolve("part-00002.arrow");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
            try (TokenShardWriter writer = new TokenShardWriter(file)) {
                writer.writeDocument(0, BOS, new int[] {1, 2}, 2);
                writer.writeDocument(1, BOS, new int[] {3, 65536}, 2);
                writer.finish();
            }
        });
        assertEquals("ids[1] must be in [0, 65535] (uint16), got 65536", e.getMessage());
        assertEquals(List.of(), listDir());
    }

    @Test
    void theTempFileIsHiddenBesideTheTarget() throws IOException {
        Path file = dir.resolve("part-00003.arrow");
        try (TokenShardWriter writer = new TokenShardWriter(file)) {
            Path temp = listDir().get(0);
            assertEquals(dir, temp.getParent());
            assertTrue(temp.getFileName().toString().startsWith(".part-00003.arrow."), temp.toString());
            writer.finish();
        }
        assertEquals(List.of(file), listDir());
    }

    @Test
    void rejectsBadArgumentsNamingTheRule() throws IOException {
        try (TokenShardWriter writer = new TokenShardWriter(dir.resolve("x.arrow"))) {
            assertEquals("bosId must be in [0, 65535], got -1", assertThrows(IllegalArgumentException.class,
                    () -> writer.writeDocument(0, -1, new int[0], 0)).getMessage());
            assertEquals("ids[0] must be in [0, 65535] (uint16), got -5", assertThrows(IllegalArgumentException.class,
                    () -> writer.writeDocument(0, 1, new int[] {-5}, 0)).getMessage());
            assertEquals("textBytes must be >= 0, got -1", assertThrows(IllegalArgumentException.class,
                    () -> writer.writeDocument(0, 1, new int[0], -1)).getMessage());
            assertEquals("docIndex must be >= 0, got -3", assertThrows(IllegalArgumentException.class,
                    () -> writer.writeDocument(-3, 1, new int[0], 0)).getMessage());
            writer.finish();
            assertThrows(IllegalStateException.class, () -> writer.writeDocument(0, 1, new int[0], 0));
        }
    }

    private Path writeShard(String name, int[][] docs, int[] bytes) throws IOException {
        Path file = dir.resolve(name);
        try (TokenShardWriter writer = new TokenShardWriter(file)) {
            for (int d = 0; d < docs.length; d++) {
                writer.writeDocument(d, 0, docs[d], bytes[d]);
            }
            writer.finish();
        }
        return file;
    }

    private List<Path> listDir() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }
}
