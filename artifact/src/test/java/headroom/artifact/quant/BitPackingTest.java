package headroom.artifact.quant;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BitPackingTest {

    @Test
    void packsInt4LowNibbleFirst() {
        // 1 -> 0001, -1 -> 1111, 7 -> 0111: bytes 0xF1, then 0x07 with a zero high nibble
        assertArrayEquals(new byte[]{(byte) 0xF1, 0x07}, BitPacking.pack(new int[]{1, -1, 7}, 4));
    }

    @Test
    void packsInt6FourCodesInThreeBytes() {
        // 1 = 000001, -1 = 111111, 0, -32 = 100000, little-endian bit stream:
        // byte0 = 11|000001, byte1 = 0000|1111, byte2 = 100000|00
        assertArrayEquals(new byte[]{(byte) 0xC1, 0x0F, (byte) 0x80}, BitPacking.pack(new int[]{1, -1, 0, -32}, 6));
    }

    @Test
    void roundTripsOddLengthsAtEveryWidth() {
        Random random = new Random(7);
        for (int bits : new int[]{4, 6, 8}) {
            for (int length : new int[]{1, 3, 5, 7, 13, 1001}) {
                int[] codes = new int[length];
                int lo = -(1 << (bits - 1));
                for (int i = 0; i < length; i++) codes[i] = lo + random.nextInt(1 << bits);
                byte[] packed = BitPacking.pack(codes, bits);
                assertEquals((length * bits + 7) / 8, packed.length, bits + "-bit packing of " + length + " codes");
                assertArrayEquals(codes, BitPacking.unpack(packed, bits, length), bits + "-bit round trip of " + length + " codes");
            }
        }
    }

    @Test
    void rejectsCodesOutsideTheWidthAndWrongLengths() {
        IllegalArgumentException tooBig = assertThrows(IllegalArgumentException.class, () -> BitPacking.pack(new int[]{0, 32}, 6));
        assertTrue(tooBig.getMessage().contains("code 32 at index 1"), tooBig.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BitPacking.unpack(new byte[2], 6, 4));
    }
}
