package headroom.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import headroom.core.WeightTensor;
import headroom.model.nn.Parameter;
import headroom.model.nn.Weights;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AdamW (Loshchilov and Hutter) written out: bias-corrected moments, decoupled weight decay on
 * matrices only. Moments are NDArrays on the model's device, saved and restored with checkpoints.
 */
final class AdamW implements AutoCloseable {

    private final List<Parameter> parameters;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final NDManager manager;
    private final List<NDArray> m = new ArrayList<>(); // first moments, one per parameter, same shape
    private final List<NDArray> v = new ArrayList<>(); // second moments, one per parameter, same shape
    private long t;                                     // updates applied so far

    AdamW(List<Parameter> parameters, NDManager manager, double beta1, double beta2, double eps, double weightDecay) {
        this.parameters = parameters;
        this.manager = manager;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        for (Parameter p : parameters) {
            m.add(manager.zeros(p.array().getShape()));
            v.add(manager.zeros(p.array().getShape()));
        }
    }

    /** One update with the gradients currently held by the parameters. */
    void step(double lr) {
        t++;
        double correction1 = 1 - Math.pow(beta1, t);
        double correction2 = 1 - Math.pow(beta2, t);
        for (int i = 0; i < parameters.size(); i++) {
            Parameter p = parameters.get(i);
            try (NDScope scope = new NDScope()) {
                NDArray w = p.array();
                NDArray g = w.getGradient();
                // m = b1 m + (1 - b1) g ; v = b2 v + (1 - b2) g^2
                m.get(i).muli(beta1).addi(g.mul(1 - beta1));
                v.get(i).muli(beta2).addi(g.square().mul(1 - beta2));
                // w -= lr * wd * w  (decoupled, matrices only)
                if (p.decays() && weightDecay > 0) w.muli(1 - lr * weightDecay);
                // w -= lr * m_hat / (sqrt(v_hat) + eps)
                NDArray denom = v.get(i).div(correction2).sqrt().add(eps);
                w.subi(m.get(i).div(correction1).div(denom).mul(lr));
            }
        }
    }

    long updates() {
        return t;
    }

    List<WeightTensor> firstMoments() {
        return export(m);
    }

    List<WeightTensor> secondMoments() {
        return export(v);
    }

    void restore(long updates, List<WeightTensor> first, List<WeightTensor> second) {
        this.t = updates;
        load(m, first);
        load(v, second);
    }

    private List<WeightTensor> export(List<NDArray> moments) {
        List<WeightTensor> out = new ArrayList<>();
        for (int i = 0; i < parameters.size(); i++) {
            Parameter p = parameters.get(i);
            int[] shape = Arrays.stream(p.array().getShape().getShape()).mapToInt(Math::toIntExact).toArray();
            out.add(new WeightTensor(p.name(), p.tensorClass(), shape, moments.get(i).toFloatArray()));
        }
        return out;
    }

    private void load(List<NDArray> moments, List<WeightTensor> saved) {
        Map<String, WeightTensor> byName = new LinkedHashMap<>();
        for (WeightTensor w : saved) byName.put(w.name(), w);
        for (int i = 0; i < parameters.size(); i++) {
            WeightTensor w = byName.get(parameters.get(i).name());
            if (w == null || w.size() != moments.get(i).size()) {
                throw new IllegalArgumentException("optimizer state has no matching moment for parameter " + parameters.get(i).name());
            }
            Weights.copyInto(moments.get(i), w.values());
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
