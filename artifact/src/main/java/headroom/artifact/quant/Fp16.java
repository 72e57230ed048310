package headroom.artifact.quant;

/**
 * IEEE 754 binary16 conversions (Java 17 has no Float.floatToFloat16). float -> half rounds to
 * nearest, ties to even, including into the subnormal range; overflow gives infinity; NaN stays NaN.
 */
public final class Fp16 {

    private Fp16() {
    }

    /** float -> binary16 bits, round to nearest even. */
    public static short fromFloat(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = (bits >>> 23) & 0xFF;
        int mantissa = bits & 0x7FFFFF;
        if (exponent == 0xFF) {
            // infinity keeps a zero mantissa; NaN keeps a quiet payload bit so it stays NaN
            return (short) (sign | 0x7C00 | (mantissa != 0 ? 0x200 | (mantissa >>> 13) : 0));
        }
        int halfExponent = exponent - 127 + 15;
        if (halfExponent >= 0x1F) return (short) (sign | 0x7C00);
        if (halfExponent <= 0) {
            // subnormal half (or zero): shift the implicit-1 mantissa right, rounding what falls off
            if (halfExponent < -10) return (short) sign;
            int full = mantissa | 0x800000;
            int shift = 14 - halfExponent;
            return (short) (sign | roundShift(full, shift));
        }
        // normal half: 23 -> 10 mantissa bits; a carry out of the mantissa bumps the exponent (and may reach infinity)
        int rounded = roundShift((halfExponent << 23) | mantissa, 13);
        return (short) (sign | rounded);
    }

    /** binary16 bits -> float (exact). */
    public static float toFloat(short half) {
        int h = half & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1F;
        int mantissa = h & 0x3FF;
        if (exponent == 0x1F) return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f; // subnormal: mantissa x 2^-24, exact in float
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
    }

    /** The float nearest to value that binary16 can hold. */
    public static float round(float value) {
        return toFloat(fromFloat(value));
    }

    private static int roundShift(int value, int shift) {
        int kept = value >>> shift;
        int rest = value & ((1 << shift) - 1);
        int half = 1 << (shift - 1);
        if (rest > half || (rest == half && (kept & 1) == 1)) kept++;
        return kept;
    }
}
