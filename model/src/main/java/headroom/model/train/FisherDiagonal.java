package headroom.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import headroom.core.TokenStream;
import headroom.model.nn.LmModel;
import headroom.model.nn.Parameter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How much the loss cares about each weight, from per-window gradients on a calibration sample (train
 * split, never val): the mean gradient g and the diagonal of the empirical Fisher F_i = T x mean over
 * windows of (dL_w/dw_i)^2, where L_w is window w's mean loss over its T targets. Then
 * g.d + 1/2 sum_i F_i d_i^2 is the second-order estimate of the change of the sample's mean loss (nats
 * per token) when the weights move by d: the distortion the byte allocator prices quantization error with.
 */
public final class FisherDiagonal {

    /** Per parameter name, one value per weight (row-major, like {@link LmModel#weights()}). */
    public record Sensitivity(Map<String, float[]> gradient, Map<String, float[]> fisher) {
    }

    private FisherDiagonal() {
    }

    /**
     * @param calibration tokens read from its start in consecutive windows of seqLen + 1
     * @param windows     how many windows (fewer when the stream is shorter); one backward pass each
     */
    public static Sensitivity estimate(LmModel model, TokenStream calibration, int seqLen, int windows) {
        int usable = (int) Math.min(windows, (calibration.size() - 1) / seqLen);
        if (usable < 1) {
            throw new IllegalArgumentException("the calibration sample has " + calibration.size() + " tokens; one window needs seqLen + 1 = " + (seqLen + 1));
        }
        List<Parameter> parameters = model.parameters();
        Map<String, float[]> fisher = new LinkedHashMap<>();
        Map<String, float[]> gradient = new LinkedHashMap<>();
        try (NDManager sums = model.newChildManager()) {
            NDArray[] squares = new NDArray[parameters.size()];
            NDArray[] totals = new NDArray[parameters.size()];
            for (int i = 0; i < squares.length; i++) {
                squares[i] = sums.zeros(parameters.get(i).array().getShape());
                totals[i] = sums.zeros(parameters.get(i).array().getShape());
            }
            Gradients.zero(parameters);
            long[] inputs = new long[seqLen];
            long[] targets = new long[seqLen];
            for (int w = 0; w < usable; w++) {
                for (int t = 0; t < seqLen; t++) {
                    inputs[t] = calibration.token((long) w * seqLen + t);
                    targets[t] = calibration.token((long) w * seqLen + t + 1);
                }
                try (NDManager step = model.newChildManager()) {
                    NDArray x = step.create(inputs, new Shape(1, seqLen));  // (1, T)
                    NDArray y = step.create(targets, new Shape(1, seqLen)); // (1, T)
                    // not DJL's GradientCollector: it allows one per JVM, and score tasks estimate on several threads at once
                    try (ThreadGradients collector = new ThreadGradients()) {
                        collector.backward(Losses.meanLoss(model.logits(x), y));
                    }
                    try (NDScope scope = new NDScope()) {
                        for (int i = 0; i < squares.length; i++) {
                            NDArray g = parameters.get(i).array().getGradient();
                            squares[i].addi(g.square());
                            totals[i].addi(g);
                        }
                    }
                    Gradients.zero(parameters);
                }
            }
            for (int i = 0; i < squares.length; i++) {
                float[] f = squares[i].toFloatArray();
                float[] g = totals[i].toFloatArray();
                for (int j = 0; j < f.length; j++) {
                    f[j] *= (float) seqLen / usable;
                    g[j] /= usable;
                }
                fisher.put(parameters.get(i).name(), f);
                gradient.put(parameters.get(i).name(), g);
            }
        }
        return new Sensitivity(gradient, fisher);
    }
}
