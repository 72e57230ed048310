package headroom.artifact.quant;

import headroom.core.TensorClass;

import java.util.Arrays;
import java.util.Objects;

/**
 * One tensor as stored: codes packed at the format's width, one fp16 scale per row for integer
 * formats, and sparse outliers (sorted flat positions, fp16 values) that override their codes.
 * Float formats carry the values themselves in {@code packed} (little-endian fp16 or fp32), no scales,
 * no outliers. Equality compares contents.
 */
public record QuantizedTensor(String name, TensorClass tensorClass, int[] shape, QuantFormat format,
                              byte[] packed, short[] scales, int[] outlierPositions, short[] outlierValues) {

    public QuantizedTensor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tensorClass, "tensorClass");
        Objects.requireNonNull(format, "format");
        shape = shape.clone();
        if (shape.length < 1 || shape.length > 2) throw new IllegalArgumentException("tensor " + name + " must be 1-D or 2-D, got shape " + Arrays.toString(shape));
        long n = 1;
        for (int s : shape) {
            if (s <= 0) throw new IllegalArgumentException("tensor " + name + " has a non-positive dimension: " + Arrays.toString(shape));
            n *= s;
        }
        if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("tensor " + name + " has " + n + " values, more than " + Integer.MAX_VALUE);
        if (packed.length != format.packedBytesFor(n)) {
            throw new IllegalArgumentException("tensor " + name + ": " + n + " " + format + " values need " + format.packedBytesFor(n) + " packed bytes, got " + packed.length);
        }
        int rows = shape.length == 1 ? 1 : shape[0];
        int expectedScales = format.isInteger() ? rows : 0;
        if (scales.length != expectedScales) {
            throw new IllegalArgumentException("tensor " + name + " (" + format + ") needs " + expectedScales + " scales, got " + scales.length);
        }
        if (outlierPositions.length != outlierValues.length) {
            throw new IllegalArgumentException("tensor " + name + " has " + outlierPositions.length + " outlier positions but " + outlierValues.length + " values");
        }
        if (!format.isInteger() && outlierPositions.length > 0) {
            throw new IllegalArgumentException("tensor " + name + " is " + format + ": outliers apply only to integer formats");
        }
        for (int i = 0; i < outlierPositions.length; i++) {
            if (outlierPositions[i] < 0 || outlierPositions[i] >= n || (i > 0 && outlierPositions[i] <= outlierPositions[i - 1])) {
                throw new IllegalArgumentException("tensor " + name + ": outlier positions must be strictly increasing in [0, " + n + "), got "
                        + outlierPositions[i] + " at index " + i);
            }
        }
    }

    public int rows() {
        return shape.length == 1 ? 1 : shape[0];
    }

    public int cols() {
        return shape[shape.length - 1];
    }

    public int size() {
        return rows() * cols();
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QuantizedTensor t && name.equals(t.name) && tensorClass == t.tensorClass && Arrays.equals(shape, t.shape)
                && format == t.format && Arrays.equals(packed, t.packed) && Arrays.equals(scales, t.scales)
                && Arrays.equals(outlierPositions, t.outlierPositions) && Arrays.equals(outlierValues, t.outlierValues);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, tensorClass, Arrays.hashCode(shape), format, Arrays.hashCode(packed), Arrays.hashCode(scales),
                Arrays.hashCode(outlierPositions), Arrays.hashCode(outlierValues));
    }

    @Override
    public String toString() {
        return "QuantizedTensor[" + name + ", " + tensorClass + ", " + Arrays.toString(shape) + ", " + format
                + ", " + packed.length + " packed bytes, " + outlierPositions.length + " outliers]";
    }
}
