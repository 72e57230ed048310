package headroom.artifact;

import headroom.artifact.quant.QuantizedTensor;
import headroom.core.TensorClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArtifactTest {

    private static final byte[] TOKENIZER = "{\"merges\":[\"a b\",\"ab c\"]}".getBytes(StandardCharsets.UTF_8);

    @Test
    void writesReadsAndCountsEveryByte(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("artifacts/candidate.hra");
        List<QuantizedTensor> tensors = Fixtures.tensors();
        WrittenArtifact written = ArtifactWriter.write(path, Fixtures.HEADER, tensors, TOKENIZER);
        ArtifactBytes bytes = written.bytes();
        assertEquals(Files.size(path), bytes.total());
        assertEquals(bytes.total(), bytes.embeddingHead() + bytes.trunk() + bytes.normsConditioning() + bytes.tokenizer() + bytes.overhead());
        assertEquals(TOKENIZER.length, bytes.tokenizer());
        assertEquals(Map.of(TensorClass.EMBEDDING_HEAD, 640L, TensorClass.ATTENTION, 720L, TensorClass.MLP, 1054L,
                TensorClass.NORM_CONDITIONING, 16L), bytes.parameters());
        assertTrue(bytes.overhead() >= ArtifactFile.PREAMBLE_BYTES + ArtifactFile.CHECKSUM_BYTES, "overhead " + bytes.overhead());
        assertEquals(bytes.embeddingHead() / 640.0, bytes.bytesPerParameter().get(TensorClass.EMBEDDING_HEAD));
        assertFalse(bytes.overCap(bytes.total()));
        assertTrue(bytes.overCap(bytes.total() - 1));

        Artifact read = ArtifactReader.read(path);
        assertEquals(written.codec(), read.codec());
        assertEquals(Fixtures.HEADER, read.container().header());
        assertEquals(tensors, read.container().tensors());
        assertArrayEquals(TOKENIZER, read.tokenizerAsset());
        assertEquals(bytes.total(), read.fileBytes());
        try (var listing = Files.list(path.getParent())) {
            assertEquals(List.of(path), listing.toList(), "no temp file may be left beside the artifact");
        }
    }

    @Test
    void rejectsCorruptTruncatedAndForeignFiles(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("a.hra");
        ArtifactWriter.write(path, Fixtures.HEADER, Fixtures.tensors(), TOKENIZER);
        byte[] file = Files.readAllBytes(path);
        for (int offset = 0; offset < file.length; offset += 13) {
            byte[] corrupt = file.clone();
            corrupt[offset] ^= 0x01;
            assertThrows(ArtifactFormatException.class, () -> ArtifactReader.read(corrupt), "flip at " + offset);
        }
        for (int length : new int[]{0, 10, 35, 36, file.length / 2, file.length - 1}) {
            assertThrows(ArtifactFormatException.class, () -> ArtifactReader.read(Arrays.copyOf(file, length)), "truncated to " + length);
        }
        byte[] foreign = file.clone();
        foreign[3] = 'Z';
        String message = assertThrows(ArtifactFormatException.class, () -> ArtifactReader.read(foreign)).getMessage();
        assertTrue(message.contains("not a Headroom artifact"), message);
        byte[] newer = file.clone();
        newer[4] = 9;
        message = assertThrows(ArtifactFormatException.class, () -> ArtifactReader.read(newer)).getMessage();
        assertTrue(message.contains("artifact version 9 is not supported"), message);
    }

    @Test
    void rejectsHostileLengthsEvenWithAValidChecksum(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("a.hra");
        ArtifactWriter.write(path, Fixtures.HEADER, Fixtures.tensors(), TOKENIZER);
        byte[] huge = Files.readAllBytes(path);
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putLong(8, 1L << 40); // container length 1 TiB
        String message = assertThrows(ArtifactFormatException.class, () -> ArtifactReader.read(resealed(huge))).getMessage();
        assertTrue(message.contains("container length is 1099511627776, beyond the limit 536870912"), message);
        byte[] overlapping = Files.readAllBytes(path);
        ByteBuffer.wrap(overlapping).order(ByteOrder.LITTLE_ENDIAN).putLong(24, 1); // tokenizer length no longer fills the file
        message = assertThrows(ArtifactFormatException.class, () -> ArtifactReader.read(resealed(overlapping))).getMessage();
        assertTrue(message.contains("do not fill"), message);
    }

    private static byte[] resealed(byte[] file) {
        CRC32 crc = new CRC32();
        crc.update(file, 0, file.length - 4);
        ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putInt(file.length - 4, (int) crc.getValue());
        return file;
    }

    @Test
    void partsCompressedDuringTheRaceHaveTheWinnersSizes() {
        // distinct sizes and contents, an empty part among them: a size landing in another part's slot shows
        java.util.Random random = new java.util.Random(7);
        List<byte[]> parts = new java.util.ArrayList<>();
        for (int length : new int[]{20_000, 0, 3_000, 60_000, 1}) {
            byte[] part = new byte[length];
            for (int i = 0; i < length; i++) part[i] = (byte) (random.nextInt(1 + i % 97) + length % 13);
            parts.add(part);
        }
        byte[] data = java.nio.ByteBuffer.allocate(83_001).put(parts.get(0)).put(parts.get(2)).put(parts.get(3)).put(parts.get(4)).array();
        Compressed alone = Compression.smallest(data);
        long[] expected = parts.stream().mapToLong(p -> p.length == 0 ? 0 : alone.codec().compress(p).length).toArray();
        // every guess: the right one (sizes reused) and each wrong one (compressed again with the winner)
        for (Codec likely : Codec.values()) {
            Compression.WithParts race = Compression.smallestWithParts(data, parts, likely);
            assertEquals(alone.codec(), race.compressed().codec(), "guessing " + likely);
            assertArrayEquals(alone.bytes(), race.compressed().bytes(), "guessing " + likely);
            assertEquals(alone.sizes(), race.compressed().sizes(), "guessing " + likely);
            assertArrayEquals(expected, race.partSizes(), "guessing " + likely);
        }
    }

    @Test
    void sharesAreProportionalAndExact() {
        assertArrayEquals(new long[]{4, 3, 3}, ByteAttribution.largestRemainder(10, new long[]{1, 1, 1}));
        assertArrayEquals(new long[]{0, 7, 3}, ByteAttribution.largestRemainder(10, new long[]{0, 70, 30}));
        assertArrayEquals(new long[]{2, 5, 0}, ByteAttribution.largestRemainder(7, new long[]{29, 71, 0}));
    }
}
