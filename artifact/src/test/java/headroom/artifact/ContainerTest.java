package headroom.artifact;

import headroom.artifact.quant.QuantizedTensor;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContainerTest {

    private static final byte[] CONTAINER = ContainerWriter.write(Fixtures.HEADER, Fixtures.tensors());

    /** Offset of the tensor table: preamble, spec length + spec, tokenizer id length + id. */
    private static int tensorCountOffset() {
        return 12 + 4 + Fixtures.HEADER.modelSpec().length() + 2 + Fixtures.HEADER.tokenizerId().length();
    }

    /** Re-seals a hand-edited container so the edit reaches the parser instead of the checksum. */
    private static byte[] withFreshCrc(byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(data, 0, data.length - 4);
        ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).putInt(data.length - 4, (int) crc.getValue());
        return data;
    }

    private static String rejection(byte[] data) {
        return assertThrows(ArtifactFormatException.class, () -> ContainerReader.read(data)).getMessage();
    }

    @Test
    void roundTripIsBitExact() throws Exception {
        Container read = ContainerReader.read(CONTAINER);
        assertEquals(Fixtures.HEADER, read.header());
        assertEquals(Fixtures.tensors(), read.tensors());
        assertArrayEquals(CONTAINER, ContainerWriter.write(read.header(), read.tensors()));
    }

    @Test
    void rejectsEveryFlippedByte() {
        for (int offset = 0; offset < CONTAINER.length; offset += 7) {
            byte[] corrupt = CONTAINER.clone();
            corrupt[offset] ^= 0x10;
            String message = rejection(corrupt);
            assertTrue(message.contains("hint:"), "offset " + offset + ": " + message);
        }
    }

    @Test
    void rejectsTruncationAnywhere() {
        for (int length : new int[]{0, 3, 11, 15, 16, 40, CONTAINER.length / 2, CONTAINER.length - 5, CONTAINER.length - 1}) {
            String message = rejection(Arrays.copyOf(CONTAINER, length));
            assertTrue(message.contains("truncated") || message.contains("checksum mismatch"), "length " + length + ": " + message);
        }
    }

    @Test
    void rejectsWrongMagicAndVersion() {
        byte[] magic = CONTAINER.clone();
        magic[0] = 'X';
        assertTrue(rejection(magic).contains("not a Headroom container"));
        byte[] version = CONTAINER.clone();
        version[4] = 2;
        String message = rejection(withFreshCrc(version));
        assertTrue(message.contains("version 2 is not supported"), message);
    }

    @Test
    void rejectsAHugeTensorCountBeforeAllocating() {
        byte[] hostile = CONTAINER.clone();
        ByteBuffer.wrap(hostile).order(ByteOrder.LITTLE_ENDIAN).putInt(tensorCountOffset(), 0xFFFFFFFF);
        String message = rejection(withFreshCrc(hostile));
        assertTrue(message.contains("declares 4294967295 tensors"), message);
    }

    @Test
    void rejectsHugeShapes() {
        // first entry: count, name length + name, class, format, rank, then dims
        int dims = tensorCountOffset() + 4 + 2 + "tok_emb".length() + 3;
        byte[] overflow = CONTAINER.clone();
        ByteBuffer.wrap(overflow).order(ByteOrder.LITTLE_ENDIAN).putInt(dims, 0x7FFFFFFF).putInt(dims + 4, 0x7FFFFFFF);
        String message = rejection(withFreshCrc(overflow));
        assertTrue(message.contains("product < 2^31"), message);
        byte[] tooLong = CONTAINER.clone();
        ByteBuffer.wrap(tooLong).order(ByteOrder.LITTLE_ENDIAN).putInt(dims, 1 << 20);
        message = rejection(withFreshCrc(tooLong));
        assertTrue(message.contains("payload at offset 0 length"), message);
    }

    @Test
    void randomEditsPastTheChecksumFailCleanly() {
        // the parser must answer every edit with a valid container or an ArtifactFormatException: never another exception
        Random random = new Random(11);
        int rejected = 0;
        for (int trial = 0; trial < 3000; trial++) {
            byte[] edited = CONTAINER.clone();
            int edits = 1 + random.nextInt(3);
            for (int e = 0; e < edits; e++) edited[12 + random.nextInt(edited.length - 16)] = (byte) random.nextInt(256);
            try {
                ContainerReader.read(withFreshCrc(edited));
            } catch (ArtifactFormatException expected) {
                rejected++;
            }
        }
        assertTrue(rejected > 100, "only " + rejected + " of 3000 edits were rejected");
    }

    @Test
    void payloadWidthsFollowTheFormat() {
        List<QuantizedTensor> tensors = Fixtures.tensors();
        QuantizedTensor int6 = tensors.get(1), int4 = tensors.get(2), fp32 = tensors.get(3);
        // int6: one byte per code (48 x 15), 48 fp16 scales, varint positions, fp16 outlier values
        int positions = headroom.artifact.quant.PositionCoding.encode(int6.outlierPositions()).length;
        assertEquals(720 + 2 * 48 + positions + 2 * 3, TensorPayload.encode(int6).length);
        assertEquals(3, int6.outlierPositions().length); // floor(0.005 x 720)
        assertEquals((31 * 17 + 1) / 2 + 2 * 31, TensorPayload.encode(int4).length);
        assertEquals(4 * 17 * 31, TensorPayload.encode(fp32).length);
    }

    @Test
    void writerRejectsDuplicateNames() {
        List<QuantizedTensor> tensors = Fixtures.tensors();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ContainerWriter.write(Fixtures.HEADER, List.of(tensors.get(0), tensors.get(0))));
        assertTrue(e.getMessage().contains("'tok_emb' appears twice"), e.getMessage());
    }
}
