package headroom.tokenizer.shards;

import headroom.core.TokenStream;
import headroom.core.ByteAudit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardManifestTest {

    private static final int BOS = 1024;

    @TempDir
    Path dir;

    @Test
    void writeThenReadGivesTheSameManifestAndVerifies() throws IOException {
        ShardManifest manifest = writeShards(3, 50);

        manifest.write(dir);

        assertEquals(manifest, ShardManifest.read(dir));
        assertEquals(manifest, ShardManifest.verify(dir));
        assertEquals(150, manifest.documents());
        assertEquals(manifest.tokens(), TokenShardReader.read(manifest.shardPaths(dir)).size());
    }

    @Test
    void theReadStreamPassesTheByteAuditAgainstTheManifestTotals() throws IOException {
        // writeShards gives every non-BOS token 2 text bytes
        ShardManifest manifest = writeShards(3, 30);
        int[] tokenByteLengths = new int[BOS + 1];
        java.util.Arrays.fill(tokenByteLengths, 2);
        tokenByteLengths[BOS] = 0;

        TokenStream stream = TokenShardReader.read(manifest.shardPaths(dir));

        assertEquals(manifest.textBytes(), ByteAudit.auditedTargetBytes("the shards", stream, tokenByteLengths));
        assertEquals(2 * (manifest.tokens() - manifest.documents()), manifest.textBytes());
    }

    @Test
    void verifyCatchesOneFlippedByte() throws IOException {
        ShardManifest manifest = writeShards(2, 40);
        manifest.write(dir);
        Path victim = dir.resolve("part-00001.arrow");
        byte[] bytes = Files.readAllBytes(victim);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(victim, bytes);

        IOException e = assertThrows(IOException.class, () -> ShardManifest.verify(dir));

        assertTrue(e.getMessage().startsWith("shard " + victim + " has sha256 "), e.getMessage());
        assertTrue(e.getMessage().contains("but the manifest says " + manifest.shards().get(1).sha256()), e.getMessage());
    }

    @Test
    void verifyCatchesAMissingShard() throws IOException {
        writeShards(2, 10).write(dir);
        Files.delete(dir.resolve("part-00000.arrow"));

        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> ShardManifest.verify(dir));

        assertTrue(e.getMessage().contains("part-00000.arrow"), e.getMessage());
    }

    @Test
    void totalsMustBeTheSumsOverShards() {
        ShardSummary shard = new ShardSummary("a.arrow", 2, 10, 30, "0".repeat(64));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ShardManifest(2048, BOS, "val", List.of(shard), 2, 11, 30));
        assertEquals("tokens must equal the sum over shards (10), got 11", e.getMessage());
    }

    @Test
    void fieldsAreValidatedWithNamedMessages() {
        assertEquals("bosId must be in [0, vocabSize=1024), got 1024", assertThrows(IllegalArgumentException.class,
                () -> ShardManifest.of(1024, 1024, "train", List.of())).getMessage());
        assertEquals("vocabSize must be in [1, 65536] (uint16 ids), got 70000", assertThrows(IllegalArgumentException.class,
                () -> ShardManifest.of(70000, 0, "train", List.of())).getMessage());
        assertEquals("split must be non-blank, got ' '", assertThrows(IllegalArgumentException.class,
                () -> ShardManifest.of(1024, 0, " ", List.of())).getMessage());
        ShardSummary shard = new ShardSummary("a.arrow", 0, 0, 0, "0".repeat(64));
        assertEquals("shards must have distinct files, got a.arrow twice", assertThrows(IllegalArgumentException.class,
                () -> ShardManifest.of(1024, 0, "train", List.of(shard, shard))).getMessage());
    }

    @Test
    void aManifestWithUnknownFieldsOrBadTotalsIsInvalid() throws IOException {
        Files.writeString(dir.resolve(ShardManifest.FILE_NAME), """
                {"vocabSize": 1025, "bosId": 1024, "split": "train", "shards": [],
                 "documents": 0, "tokens": 5, "textBytes": 0}
                """);
        IOException e = assertThrows(IOException.class, () -> ShardManifest.read(dir));
        assertTrue(e.getMessage().contains("tokens must equal the sum over shards (0), got 5"), e.getMessage());
    }

    private ShardManifest writeShards(int shards, int docsPerShard) throws IOException {
        List<ShardSummary> summaries = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            try (TokenShardWriter writer = new TokenShardWriter(dir.resolve(String.format("part-%05d.arrow", s)))) {
                for (int d = s * docsPerShard; d < (s + 1) * docsPerShard; d++) {
                    int[] ids = TestDocs.doc(d);
                    for (int i = 0; i < ids.length; i++) {
                        ids[i] %= BOS;
                    }
                    writer.writeDocument(d, BOS, ids, 2 * ids.length);
                }
                summaries.add(writer.finish());
            }
        }
        return ShardManifest.of(BOS + 1, BOS, "train", summaries);
    }
}
