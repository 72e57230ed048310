package headroom.artifact.quant;

/**
 * Signed integer codes packed at a fixed bit width, least significant bit first: int6 puts four codes
 * in three bytes, int4 two codes in a byte (low nibble first). Codes are stored in two's complement
 * truncated to the width and sign-extended on unpacking.
 */
public final class BitPacking {

    private BitPacking() {
    }

    public static byte[] pack(int[] codes, int bits) {
        checkBits(bits);
        int lo = -(1 << (bits - 1)), hi = (1 << (bits - 1)) - 1;
        byte[] out = new byte[Math.toIntExact(((long) codes.length * bits + 7) / 8)];
        long buffer = 0;
        int buffered = 0, pos = 0;
        int mask = (1 << bits) - 1;
        for (int i = 0; i < codes.length; i++) {
            int code = codes[i];
            if (code < lo || code > hi) {
                throw new IllegalArgumentException("code " + code + " at index " + i + " does not fit " + bits + " bits [" + lo + ", " + hi + "]");
            }
            buffer |= (long) (code & mask) << buffered;
            buffered += bits;
            while (buffered >= 8) {
                out[pos++] = (byte) buffer;
                buffer >>>= 8;
                buffered -= 8;
            }
        }
        if (buffered > 0) out[pos] = (byte) buffer;
        return out;
    }

    public static int[] unpack(byte[] packed, int bits, int count) {
        checkBits(bits);
        long needed = ((long) count * bits + 7) / 8;
        if (count < 0 || needed != packed.length) {
            throw new IllegalArgumentException(count + " codes of " + bits + " bits need " + needed + " bytes, got " + packed.length);
        }
        int[] codes = new int[count];
        long buffer = 0;
        int buffered = 0, pos = 0;
        int shift = 32 - bits;
        for (int i = 0; i < count; i++) {
            while (buffered < bits) {
                buffer |= (long) (packed[pos++] & 0xFF) << buffered;
                buffered += 8;
            }
            codes[i] = ((int) buffer << shift) >> shift; // sign-extend the low `bits` bits
            buffer >>>= bits;
            buffered -= bits;
        }
        return codes;
    }

    private static void checkBits(int bits) {
        if (bits < 2 || bits > 8) throw new IllegalArgumentException("bits must be in [2, 8], got " + bits);
    }
}
