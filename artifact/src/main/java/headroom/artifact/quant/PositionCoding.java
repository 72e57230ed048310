package headroom.artifact.quant;

import java.io.ByteArrayOutputStream;

/**
 * Sorted flat positions as LEB128 varints of their gaps: the first position as is, then each
 * position minus the previous one. Sparse outliers of a large tensor cost one to three bytes each.
 */
public final class PositionCoding {

    private PositionCoding() {
    }

    /** Encodes strictly increasing, non-negative positions. */
    public static byte[] encode(int[] positions) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(positions.length * 2);
        int previous = -1;
        for (int i = 0; i < positions.length; i++) {
            if (positions[i] <= previous) {
                throw new IllegalArgumentException("positions must be strictly increasing and >= 0, got " + positions[i] + " at index " + i);
            }
            int gap = i == 0 ? positions[i] : positions[i] - previous;
            while ((gap & ~0x7F) != 0) {
                out.write((gap & 0x7F) | 0x80);
                gap >>>= 7;
            }
            out.write(gap);
            previous = positions[i];
        }
        return out.toByteArray();
    }

    /**
     * Decodes exactly {@code count} positions that must all be below {@code limit} and use every byte.
     * A malformed stream throws IllegalArgumentException naming the problem.
     */
    public static int[] decode(byte[] bytes, int count, int limit) {
        if (count < 0 || count > bytes.length) {
            throw new IllegalArgumentException(count + " positions cannot fit in " + bytes.length + " bytes");
        }
        int[] positions = new int[count];
        int pos = 0;
        long previous = -1;
        for (int i = 0; i < count; i++) {
            long gap = 0;
            int shift = 0;
            while (true) {
                if (pos >= bytes.length) throw new IllegalArgumentException("position stream ends inside position " + i);
                if (shift > 28) throw new IllegalArgumentException("varint of position " + i + " is longer than 5 bytes");
                int b = bytes[pos++] & 0xFF;
                gap |= (long) (b & 0x7F) << shift;
                shift += 7;
                if ((b & 0x80) == 0) break;
            }
            if (i > 0 && gap == 0) throw new IllegalArgumentException("position " + i + " repeats the previous one");
            long position = i == 0 ? gap : previous + gap;
            if (position >= limit) throw new IllegalArgumentException("position " + position + " (index " + i + ") is outside the tensor of " + limit + " values");
            positions[i] = (int) position;
            previous = position;
        }
        if (pos != bytes.length) throw new IllegalArgumentException((bytes.length - pos) + " trailing bytes after " + count + " positions");
        return positions;
    }
}
