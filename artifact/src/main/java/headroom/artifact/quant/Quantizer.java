package headroom.artifact.quant;

import headroom.core.WeightTensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Pure functions between float tensors and their stored form (DESIGN.md, "scoring").
 * Integer formats: per row, scale = clip / qmax (rounded up to fp16, so every |w| <= clip maps inside
 * [-qmax, qmax] and the error stays <= scale / 2), code = round(w / scale). Sparse outliers (the top
 * fraction of |w| of the whole tensor) are kept in fp16, excluded from their row's clip, and coded 0.
 */
public final class Quantizer {

    private Quantizer() {
    }

    public static QuantizedTensor quantize(WeightTensor tensor, TensorPrecision precision) {
        float[] values = tensor.values();
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) throw new IllegalArgumentException("tensor " + tensor.name() + " has a non-finite value " + values[i] + " at " + i);
        }
        QuantFormat format = precision.format();
        if (!format.isInteger()) {
            return new QuantizedTensor(tensor.name(), tensor.tensorClass(), tensor.shape(), format, packFloats(tensor, format),
                    new short[0], new int[0], new short[0]);
        }
        int[] outlierPositions = largestMagnitudes(values, (int) Math.floor(precision.outlierFraction() * values.length));
        short[] outlierValues = new short[outlierPositions.length];
        boolean[] isOutlier = new boolean[values.length];
        for (int i = 0; i < outlierPositions.length; i++) {
            isOutlier[outlierPositions[i]] = true;
            outlierValues[i] = Fp16.fromFloat(values[outlierPositions[i]]);
        }
        int rows = tensor.rows(), cols = tensor.cols(), qmax = format.qmax();
        short[] scales = new short[rows];
        int[] codes = new int[values.length];
        float[] kept = new float[cols]; // (cols,) the row without its outliers
        for (int r = 0; r < rows; r++) {
            int base = r * cols, count = 0;
            for (int c = 0; c < cols; c++) {
                if (!isOutlier[base + c]) kept[count++] = values[base + c];
            }
            double clip = precision.clip().clipFor(kept, 0, count);
            scales[r] = scaleAtLeast(clip / qmax, tensor.name(), r);
            float scale = Fp16.toFloat(scales[r]);
            if (scale == 0) continue; // an all-zero row (or all outliers): every code stays 0
            for (int c = 0; c < cols; c++) {
                if (isOutlier[base + c]) continue;
                long code = Math.round(values[base + c] / scale);
                codes[base + c] = (int) Math.max(-qmax, Math.min(qmax, code)); // saturate values beyond the clip
            }
        }
        return new QuantizedTensor(tensor.name(), tensor.tensorClass(), tensor.shape(), format,
                BitPacking.pack(codes, format.bits()), scales, outlierPositions, outlierValues);
    }

    public static WeightTensor dequantize(QuantizedTensor q) {
        int n = q.size();
        float[] values = new float[n];
        ByteBuffer packed = ByteBuffer.wrap(q.packed()).order(ByteOrder.LITTLE_ENDIAN);
        switch (q.format()) {
            case FP16 -> { for (int i = 0; i < n; i++) values[i] = Fp16.toFloat(packed.getShort()); }
            case FP32 -> { for (int i = 0; i < n; i++) values[i] = packed.getFloat(); }
            default -> {
                int[] codes = BitPacking.unpack(q.packed(), q.format().bits(), n);
                int cols = q.cols();
                short[] scales = q.scales();
                for (int i = 0; i < n; i++) values[i] = codes[i] * Fp16.toFloat(scales[i / cols]);
                int[] positions = q.outlierPositions();
                for (int i = 0; i < positions.length; i++) values[positions[i]] = Fp16.toFloat(q.outlierValues()[i]);
            }
        }
        return new WeightTensor(q.name(), q.tensorClass(), q.shape(), values);
    }

    /** The smallest fp16 scale >= the exact one: rounding down could push |w| = clip past qmax. */
    private static short scaleAtLeast(double exact, String name, int row) {
        short half = Fp16.fromFloat((float) exact);
        if (Fp16.toFloat(half) < exact) half++; // positive halves are ordered like their bit patterns
        if (Float.isInfinite(Fp16.toFloat(half))) {
            throw new IllegalArgumentException("tensor " + name + " row " + row + " needs scale " + exact + ", beyond fp16's 65504: use an fp32 format");
        }
        return half;
    }

    /** Flat positions of the k largest |w|, ascending; ties go to the lower position. */
    private static int[] largestMagnitudes(float[] values, int k) {
        if (k == 0) return new int[0];
        int n = values.length;
        // key = |w| bits (ordered like |w| for non-negative floats) above the reversed position
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) keys[i] = ((long) Float.floatToIntBits(Math.abs(values[i])) << 32) | (n - 1 - i);
        Arrays.sort(keys);
        int[] positions = new int[k];
        for (int j = 0; j < k; j++) positions[j] = n - 1 - (int) keys[n - 1 - j];
        Arrays.sort(positions);
        return positions;
    }

    private static byte[] packFloats(WeightTensor tensor, QuantFormat format) {
        float[] values = tensor.values();
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(format.packedBytesFor(values.length))).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < values.length; i++) {
            if (format == QuantFormat.FP32) {
                out.putFloat(values[i]);
                continue;
            }
            short half = Fp16.fromFloat(values[i]);
            if (Float.isInfinite(Fp16.toFloat(half))) {
                throw new IllegalArgumentException("tensor " + tensor.name() + " value " + values[i] + " at " + i + " overflows fp16 (max 65504): use fp32");
            }
            out.putShort(half);
        }
        return out.array();
    }
}
