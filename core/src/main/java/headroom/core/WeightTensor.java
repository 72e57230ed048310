package headroom.core;

import java.util.Arrays;
import java.util.Objects;

/**
 * One named parameter tensor as plain floats: the exchange format between the DJL model and
 * the scoring code (quantize, pack, read back, load). Row-major; a 2-D tensor is (rows, cols),
 * a 1-D tensor is one row.
 */
public record WeightTensor(String name, TensorClass tensorClass, int[] shape, float[] values) {

    public WeightTensor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tensorClass, "tensorClass");
        if (shape.length < 1 || shape.length > 2) {
            throw new IllegalArgumentException("tensor " + name + " must be 1-D or 2-D, got shape " + Arrays.toString(shape));
        }
        long n = 1;
        for (int s : shape) {
            if (s <= 0) throw new IllegalArgumentException("tensor " + name + " has a non-positive dimension: " + Arrays.toString(shape));
            n *= s;
        }
        if (n != values.length) {
            throw new IllegalArgumentException("tensor " + name + " has shape " + Arrays.toString(shape) + " but " + values.length + " values");
        }
    }

    public int rows() {
        return shape.length == 1 ? 1 : shape[0];
    }

    public int cols() {
        return shape[shape.length - 1];
    }

    public long size() {
        return values.length;
    }
}
