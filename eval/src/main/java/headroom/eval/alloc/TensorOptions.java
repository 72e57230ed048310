package headroom.eval.alloc;

import headroom.eval.artifact.PayloadRate;
import headroom.eval.quant.QuantizedTensor;
import headroom.eval.quant.Quantizer;
import headroom.eval.quant.TensorPrecision;
import headroom.training.WeightTensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Prices every option of a grid for one tensor: rate = {@link PayloadRate}'s estimate of the codec's
 * bytes; distortion = sensitivity-weighted squared error, 1/2 sum_i s_i (w_i - w^_i)^2, the second-order
 * estimate of the loss increase when s is the diagonal Fisher of the loss (per token) at the trained weights.
 */
public final class TensorOptions {

    private TensorOptions() {
    }

    /** @param sensitivity one weight per value (the diagonal Fisher), or null for plain squared error */
    public static List<TensorOption> measure(WeightTensor tensor, float[] sensitivity, OptionGrid grid) {
        if (sensitivity != null && sensitivity.length != tensor.values().length) {
            throw new IllegalArgumentException("tensor " + tensor.name() + " has " + tensor.values().length + " values but " + sensitivity.length + " sensitivities");
        }
        List<TensorOption> out = new ArrayList<>();
        for (TensorPrecision p : grid.precisions()) {
            QuantizedTensor q = Quantizer.quantize(tensor, p);
            out.add(new TensorOption(p, PayloadRate.estimate(q), weightedError(tensor.values(), Quantizer.dequantize(q).values(), sensitivity)));
        }
        return out;
    }

    static double weightedError(float[] w, float[] restored, float[] sensitivity) {
        double sum = 0;
        for (int i = 0; i < w.length; i++) {
            double d = (double) w[i] - restored[i];
            sum += (sensitivity == null ? 1 : sensitivity[i]) * d * d;
        }
        return sum / 2;
    }
}
