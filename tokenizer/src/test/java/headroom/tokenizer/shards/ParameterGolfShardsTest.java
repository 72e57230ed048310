package headroom.tokenizer.shards;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParameterGolfShardsTest {

    @TempDir
    Path dir;

    @Test
    void headerAndTokensAreLaidOutByteByByte() throws IOException {
        Path file = dir.resolve("fineweb_val_000000.bin");
        try (ParameterGolfShardWriter writer = new ParameterGolfShardWriter(file)) {
            writer.writeDocument(1, new int[] {0x1234, 65535});
            writer.writeDocument(1, new int[] {7});
            assertEquals(5, writer.finish());
        }

        byte[] bytes = Files.readAllBytes(file);
        assertEquals(1024 + 2 * 5, bytes.length);
        // magic 20240520 = 0x0134_D888, little-endian at offset 0
        assertArrayEquals(new byte[] {(byte) 0x88, (byte) 0xD8, 0x34, 0x01}, Arrays.copyOfRange(bytes, 0, 4));
        assertArrayEquals(new byte[] {1, 0, 0, 0}, Arrays.copyOfRange(bytes, 4, 8));
        assertArrayEquals(new byte[] {5, 0, 0, 0}, Arrays.copyOfRange(bytes, 8, 12));
        assertArrayEquals(new byte[1024 - 12], Arrays.copyOfRange(bytes, 12, 1024));
        // [BOS=1, 0x1234, 0xFFFF] [BOS=1, 7]
        assertArrayEquals(new byte[] {1, 0, 0x34, 0x12, (byte) 0xFF, (byte) 0xFF, 1, 0, 7, 0},
                Arrays.copyOfRange(bytes, 1024, bytes.length));
    }

    @Test
    void roundTripOverManyBufferFills() throws IOException {
        Path file = dir.resolve("train.bin");
        char[] expected = new char[200_000];
        int p = 0;
        try (ParameterGolfShardWriter writer = new ParameterGolfShardWriter(file)) {
            for (int d = 0; p < expected.length - 40; d++) {
                int[] ids = TestDocs.doc(d);
                writer.writeDocument(2, ids);
                expected[p++] = 2;
                for (int id : ids) {
                    expected[p++] = (char) id;
                }
            }
            assertEquals(p, writer.finish());
        }
        assertArrayEquals(Arrays.copyOf(expected, p), ParameterGolfShards.read(file));
    }

    @Test
    void aWriterClosedWithoutFinishLeavesNoFile() throws IOException {
        Path file = dir.resolve("x.bin");
        try (ParameterGolfShardWriter writer = new ParameterGolfShardWriter(file)) {
            writer.writeDocument(1, new int[] {2, 3});
        }
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
        assertFalse(Files.exists(file));
    }

    @Test
    void readRejectsBadMagicVersionAndSizeNamingTheFile() throws IOException {
        Path file = dir.resolve("y.bin");
        try (ParameterGolfShardWriter writer = new ParameterGolfShardWriter(file)) {
            writer.writeDocument(1, new int[] {2, 3});
            writer.finish();
        }
        byte[] good = Files.readAllBytes(file);

        byte[] truncated = Arrays.copyOf(good, good.length - 1);
        Files.write(file, truncated);
        assertEquals("token shard " + file + ": header says 3 tokens (1030 bytes) but the file has 1029 bytes: truncated or corrupt",
                assertThrows(InvalidShardException.class, () -> ParameterGolfShards.read(file)).getMessage());

        byte[] badVersion = good.clone();
        badVersion[4] = 2;
        Files.write(file, badVersion);
        assertEquals("token shard " + file + ": version must be 1 (uint16 tokens), got 2",
                assertThrows(InvalidShardException.class, () -> ParameterGolfShards.read(file)).getMessage());

        byte[] badMagic = good.clone();
        badMagic[0] = 0;
        Files.write(file, badMagic);
        assertEquals("token shard " + file + ": magic must be 20240520, got 20240384: not a Parameter Golf shard",
                assertThrows(InvalidShardException.class, () -> ParameterGolfShards.read(file)).getMessage());

        Files.write(file, new byte[100]);
        assertEquals("token shard " + file + ": Parameter Golf shard is 100 bytes, shorter than its 1024-byte header",
                assertThrows(InvalidShardException.class, () -> ParameterGolfShards.read(file)).getMessage());
    }
}
