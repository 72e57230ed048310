package headroom.artifact;

import headroom.artifact.quant.BitPacking;
import headroom.artifact.quant.PositionCoding;
import headroom.artifact.quant.QuantFormat;
import headroom.artifact.quant.QuantizedTensor;
import headroom.core.TensorClass;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.EnumSet;
import java.util.Set;

/**
 * One tensor's bytes in the container's payload section (docs/ARTIFACT.md): codes, then scales, then
 * outlier positions, then outlier values. Float values, scales and outlier values are byte-shuffled.
 * int8 and int4 codes are stored as packed (whole bytes, nibble pairs); int7, int6 and int5 codes are
 * widened to one byte each ({@link #WIDENED}), because codecs model bytes: codes that straddle byte
 * boundaries compress worse (int6 on 1M Gaussian weights: 0.706 packed against 0.658 widened bytes per
 * parameter with brotli; every width and codec in docs/ARTIFACT.md, measured by CodeLayoutBench).
 */
public final class TensorPayload {

    /** The integer formats stored one byte per code instead of bit-packed: the layout that compressed smaller under every codec. */
    static final Set<QuantFormat> WIDENED = EnumSet.of(QuantFormat.INT7, QuantFormat.INT6, QuantFormat.INT5);

    private TensorPayload() {
    }

    /** The stored bytes of one tensor, exactly as the container holds them. */
    public static byte[] encode(QuantizedTensor t) {
        byte[] codes = switch (t.format()) {
            case FP16 -> ByteShuffle.shuffle(t.packed(), 2);
            case FP32 -> ByteShuffle.shuffle(t.packed(), 4);
            default -> WIDENED.contains(t.format()) ? widen(BitPacking.unpack(t.packed(), t.format().bits(), t.size())) : t.packed();
        };
        byte[] positions = PositionCoding.encode(t.outlierPositions());
        ByteBuffer out = ByteBuffer.allocate(codes.length + 2 * t.scales().length + positions.length + 2 * t.outlierValues().length);
        out.put(codes).put(shuffledHalves(t.scales())).put(positions).put(shuffledHalves(t.outlierValues()));
        return out.array();
    }

    /** Bytes {@link #encode} produces for a tensor of n values and rows rows with these outliers. */
    static long length(QuantFormat format, long n, long rows, long outlierCount, long positionBytes) {
        return codeBytes(format, n) + (format.isInteger() ? 2 * rows : 0) + positionBytes + 2 * outlierCount;
    }

    static QuantizedTensor decode(String name, TensorClass tensorClass, int[] shape, QuantFormat format,
                                  int outlierCount, int positionBytes, ByteCursor payload) throws ArtifactFormatException {
        int n = shape.length == 1 ? shape[0] : shape[0] * shape[1];
        int rows = shape.length == 1 ? 1 : shape[0];
        byte[] codes = payload.bytes(codeBytes(format, n), "tensor '" + name + "' codes");
        byte[] packed = switch (format) {
            case FP16 -> ByteShuffle.unshuffle(codes, 2);
            case FP32 -> ByteShuffle.unshuffle(codes, 4);
            default -> checkedCodes(codes, format, n, name);
        };
        short[] scales = unshuffledHalves(payload.bytes(format.isInteger() ? 2L * rows : 0, "tensor '" + name + "' scales"));
        byte[] positionStream = payload.bytes(positionBytes, "tensor '" + name + "' outlier positions");
        short[] outlierValues = unshuffledHalves(payload.bytes(2L * outlierCount, "tensor '" + name + "' outlier values"));
        try {
            int[] positions = PositionCoding.decode(positionStream, outlierCount, n);
            return new QuantizedTensor(name, tensorClass, shape, format, packed, scales, positions, outlierValues);
        } catch (IllegalArgumentException e) {
            throw new ArtifactFormatException("tensor '" + name + "' is malformed: " + e.getMessage(), ArtifactFormatException.REWRITE, e);
        }
    }

    private static long codeBytes(QuantFormat format, long n) {
        return WIDENED.contains(format) ? n : format.packedBytesFor(n);
    }

    private static byte[] widen(int[] codes) {
        byte[] out = new byte[codes.length];
        for (int i = 0; i < codes.length; i++) out[i] = (byte) codes[i];
        return out;
    }

    private static int[] signed(byte[] widened) {
        int[] out = new int[widened.length];
        for (int i = 0; i < widened.length; i++) out[i] = widened[i];
        return out;
    }

    /**
     * Integer codes as the in-memory packed form, after checking each lies in [-qmax, qmax]: a code the
     * quantizer never writes is corruption.
     */
    private static byte[] checkedCodes(byte[] stored, QuantFormat format, int n, String name) throws ArtifactFormatException {
        int[] codes = WIDENED.contains(format) ? signed(stored) : BitPacking.unpack(stored, format.bits(), n);
        int qmax = format.qmax();
        for (int i = 0; i < n; i++) {
            if (codes[i] < -qmax || codes[i] > qmax) {
                throw new ArtifactFormatException("tensor '" + name + "' " + format + " code " + i + " is " + codes[i] + ", outside [-" + qmax + ", " + qmax + "]",
                        ArtifactFormatException.REWRITE);
            }
        }
        return WIDENED.contains(format) ? BitPacking.pack(codes, format.bits()) : stored;
    }

    private static byte[] shuffledHalves(short[] halves) {
        ByteBuffer bytes = ByteBuffer.allocate(2 * halves.length).order(ByteOrder.LITTLE_ENDIAN);
        for (short h : halves) bytes.putShort(h);
        return ByteShuffle.shuffle(bytes.array(), 2);
    }

    private static short[] unshuffledHalves(byte[] planes) {
        ByteBuffer bytes = ByteBuffer.wrap(ByteShuffle.unshuffle(planes, 2)).order(ByteOrder.LITTLE_ENDIAN);
        short[] halves = new short[planes.length / 2];
        for (int i = 0; i < halves.length; i++) halves[i] = bytes.getShort();
        return halves;
    }
}
