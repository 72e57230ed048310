package headroom.artifact;

/**
 * Splits multi-byte values into byte planes (all first bytes, then all second bytes, ...). The high
 * bytes of fp16 values of one tensor repeat a few sign/exponent patterns, the low bytes are noise:
 * apart, a codec models each well; interleaved, neither.
 */
final class ByteShuffle {

    private ByteShuffle() {
    }

    static byte[] shuffle(byte[] data, int width) {
        int n = checkedCount(data, width);
        byte[] out = new byte[data.length];
        for (int i = 0; i < n; i++) {
            for (int b = 0; b < width; b++) out[b * n + i] = data[i * width + b];
        }
        return out;
    }

    static byte[] unshuffle(byte[] planes, int width) {
        int n = checkedCount(planes, width);
        byte[] out = new byte[planes.length];
        for (int i = 0; i < n; i++) {
            for (int b = 0; b < width; b++) out[i * width + b] = planes[b * n + i];
        }
        return out;
    }

    private static int checkedCount(byte[] data, int width) {
        if (width < 1 || data.length % width != 0) {
            throw new IllegalArgumentException(data.length + " bytes are not a whole number of " + width + "-byte values");
        }
        return data.length / width;
    }
}
