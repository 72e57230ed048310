package headroom.artifact.quant;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Fp16Test {

    private static void assertHalf(int expectedBits, float value) {
        assertEquals(String.format("0x%04x", expectedBits), String.format("0x%04x", Fp16.fromFloat(value) & 0xFFFF), "fp16 of " + value);
    }

    @Test
    void convertsEdgeValues() {
        assertHalf(0x0000, 0f);
        assertHalf(0x8000, -0f);
        assertHalf(0x3C00, 1f);
        assertHalf(0xC000, -2f);
        assertHalf(0x7BFF, 65504f);             // largest finite half
        assertHalf(0x7BFF, 65519f);             // below the midpoint to 65536: rounds down
        assertHalf(0x7C00, 65520f);             // the midpoint: ties to even overflow to infinity
        assertHalf(0x7C00, Float.POSITIVE_INFINITY);
        assertHalf(0xFC00, Float.NEGATIVE_INFINITY);
        assertHalf(0x0400, 0x1p-14f);           // smallest normal
        assertHalf(0x03FF, 0x1p-14f - 0x1p-24f); // largest subnormal
        assertHalf(0x0001, 0x1p-24f);           // smallest subnormal
        assertHalf(0x0000, 0x1p-25f);           // half of it: tie to even gives 0
        assertHalf(0x0001, 0x1.01p-25f);        // just above the tie rounds up
        assertHalf(0x0003, 0x1.8p-23f);         // 3 x 2^-24: an exact subnormal
        assertHalf(0x3C00, 1f + 0x1p-11f);      // tie between 0x3C00 and 0x3C01: even wins
        assertHalf(0x3C02, 1f + 0x3p-11f);      // tie between 0x3C01 and 0x3C02: even wins
        assertHalf(0x3C01, 1f + 0x1.8p-11f);    // above the tie
        assertTrue(Float.isNaN(Fp16.toFloat(Fp16.fromFloat(Float.NaN))));
    }

    @Test
    void everyFiniteHalfRoundTripsExactly() {
        for (int bits = 0; bits < 0x10000; bits++) {
            short half = (short) bits;
            float value = Fp16.toFloat(half);
            if (Float.isNaN(value)) continue;
            assertEquals(bits, Fp16.fromFloat(value) & 0xFFFF, "round trip of half 0x" + Integer.toHexString(bits));
        }
    }

    @Test
    void toFloatDecodesSubnormalsAndSigns() {
        assertEquals(0x1p-24f, Fp16.toFloat((short) 0x0001));
        assertEquals(-65504f, Fp16.toFloat((short) 0xFBFF));
        assertEquals(0.333251953125f, Fp16.toFloat(Fp16.fromFloat(1f / 3)));
    }
}
