package headroom.artifact.quant;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PositionCodingTest {

    @Test
    void encodesGapsAsVarints() {
        // gaps 0, 5, 295 = 0b10_0100111 -> 0xA7 0x02
        assertArrayEquals(new byte[]{0, 5, (byte) 0xA7, 0x02}, PositionCoding.encode(new int[]{0, 5, 300}));
        assertArrayEquals(new int[]{0, 5, 300}, PositionCoding.decode(new byte[]{0, 5, (byte) 0xA7, 0x02}, 3, 301));
    }

    @Test
    void rejectsMalformedStreams() {
        assertThrows(IllegalArgumentException.class, () -> PositionCoding.encode(new int[]{3, 3}));
        IllegalArgumentException outside = assertThrows(IllegalArgumentException.class,
                () -> PositionCoding.decode(new byte[]{0, 5, (byte) 0xA7, 0x02}, 3, 300));
        assertTrue(outside.getMessage().contains("outside the tensor"), outside.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PositionCoding.decode(new byte[]{(byte) 0x80}, 1, 10)); // ends mid-varint
        assertThrows(IllegalArgumentException.class, () -> PositionCoding.decode(new byte[]{1, 0}, 2, 10));        // repeated position
        assertThrows(IllegalArgumentException.class, () -> PositionCoding.decode(new byte[]{1, 2, 3}, 2, 10));     // trailing byte
    }
}
