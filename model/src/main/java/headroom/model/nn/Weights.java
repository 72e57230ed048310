package headroom.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.pytorch.jni.JniUtils;
import headroom.core.WeightTensor;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Copies between a model's parameters and plain {@link WeightTensor}s. */
public final class Weights {

    private Weights() {
    }

    static WeightTensor toWeightTensor(Parameter p) {
        long[] dims = p.array().getShape().getShape();
        int[] shape = Arrays.stream(dims).mapToInt(Math::toIntExact).toArray();
        return new WeightTensor(p.name(), p.tensorClass(), shape, p.array().toFloatArray());
    }

    static void load(Map<String, Parameter> byName, List<WeightTensor> weights) {
        TreeSet<String> missing = new TreeSet<>(byName.keySet());
        for (WeightTensor w : weights) {
            Parameter p = byName.get(w.name());
            if (p == null) throw new IllegalArgumentException("weight " + w.name() + " is not a parameter of this model; parameters are " + byName.keySet());
            long[] dims = p.array().getShape().getShape();
            int[] expected = Arrays.stream(dims).mapToInt(Math::toIntExact).toArray();
            if (!Arrays.equals(expected, w.shape())) {
                throw new IllegalArgumentException("weight " + w.name() + " has shape " + Arrays.toString(w.shape())
                        + " but the model expects " + Arrays.toString(expected));
            }
            if (w.tensorClass() != p.tensorClass()) {
                throw new IllegalArgumentException("weight " + w.name() + " has class " + w.tensorClass() + " but the model says " + p.tensorClass());
            }
            copyInto(p.array(), w.values());
            missing.remove(w.name());
        }
        if (!missing.isEmpty()) throw new IllegalArgumentException("weights missing for parameters " + missing);
    }

    /**
     * Overwrites {@code target} in place, bit for bit, keeping its identity (the model and the optimizer hold it).
     * Not {@code NDArray.set(Buffer)}: DJL's native set opens libtorch's deprecated AutoNonVariableTypeMode, which
     * prints a deprecation warning straight to file descriptor 2, past every Java log configuration (issue 25). A
     * tensor made from the values and copied over the whole index is libtorch's {@code index_put_}: no warning.
     */
    public static void copyInto(NDArray target, float[] values) {
        if (values.length != target.size()) {
            throw new IllegalArgumentException(values.length + " values for an array of shape " + target.getShape());
        }
        // autograd's mode is per thread and on by default in a fresh one (a Spark task's): while it records, libtorch refuses an
        // in-place copy into a parameter that requires grad, so the copy runs with it off
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDArray source = target.getManager().create(values, target.getShape())) {
            target.set(new NDIndex("..."), source);
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }
}
