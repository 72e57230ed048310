package headroom.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import headroom.core.TensorClass;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Creates the model's parameters in order. Initial values are drawn in Java from a generator
 * seeded by (seed, name), so the same seed gives the same weights on any device and adding a
 * tensor does not shift the others.
 */
final class ParameterFactory {

    private final NDManager manager;
    private final long seed;
    private final List<Parameter> created = new ArrayList<>();

    ParameterFactory(NDManager manager, long seed) {
        this.manager = manager;
        this.seed = seed;
    }

    /** Normal(0, std) values, shape (rows, cols). */
    Parameter normal(String name, TensorClass tensorClass, int rows, int cols, double std) {
        Random random = new Random(seed * 0x9E3779B97F4A7C15L ^ name.hashCode());
        float[] values = new float[Math.multiplyExact(rows, cols)];
        for (int i = 0; i < values.length; i++) values[i] = (float) (random.nextGaussian() * std);
        return add(name, tensorClass, values, new Shape(rows, cols));
    }

    /** An RMSNorm gain (cols), starting at 1. */
    Parameter gain(String name, int cols) {
        return add(name, TensorClass.NORM_CONDITIONING, filled(cols, 1f), new Shape(cols));
    }

    /** One RMSNorm gain row per loop (loops, cols), starting at 1. */
    Parameter loopGains(String name, int loops, int cols) {
        return add(name, TensorClass.NORM_CONDITIONING, filled(loops * cols, 1f), new Shape(loops, cols));
    }

    /** Per-loop vectors start at 0 so the untrained model equals the unconditioned one. */
    Parameter zeros(String name, int rows, int cols) {
        return add(name, TensorClass.NORM_CONDITIONING, new float[rows * cols], new Shape(rows, cols));
    }

    private static float[] filled(int n, float value) {
        float[] values = new float[n];
        Arrays.fill(values, value);
        return values;
    }

    private Parameter add(String name, TensorClass tensorClass, float[] values, Shape shape) {
        if (values.length != shape.size()) {
            throw new IllegalStateException("parameter " + name + " has " + values.length + " initial values for shape " + shape);
        }
        NDArray array = manager.create(values, shape);
        array.setRequiresGradient(true);
        Parameter p = new Parameter(name, tensorClass, array);
        created.add(p);
        return p;
    }

    List<Parameter> created() {
        return List.copyOf(created);
    }
}
