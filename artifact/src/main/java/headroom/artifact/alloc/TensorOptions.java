package headroom.artifact.alloc;

import headroom.artifact.PayloadRate;
import headroom.artifact.quant.QuantizedTensor;
import headroom.artifact.quant.Quantizer;
import headroom.artifact.quant.TensorPrecision;
import headroom.core.WeightTensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Prices every option of a grid for one tensor: rate = {@link PayloadRate}'s estimate of the codec's
 * bytes; distortion = sum_i g_i d_i + 1/2 sum_i F_i d_i^2 with d = w^ - w, the second-order estimate of
 * the loss increase when g is the loss gradient and F the diagonal Fisher at the trained weights
 * (training's FisherDiagonal). Without them it is the plain squared error 1/2 sum_i d_i^2.
 */
public final class TensorOptions {

    private TensorOptions() {
    }

    /** Plain or Fisher-weighted squared error only: {@code sensitivity} one weight per value, or null for 1. */
    public static List<TensorOption> measure(WeightTensor tensor, float[] sensitivity, OptionGrid grid) {
        return measure(tensor, null, sensitivity, grid);
    }

    /**
     * @param gradient    the loss gradient per value, or null to leave out the first-order term
     * @param sensitivity the diagonal Fisher per value, or null for 1
     */
    public static List<TensorOption> measure(WeightTensor tensor, float[] gradient, float[] sensitivity, OptionGrid grid) {
        for (float[] perValue : new float[][]{gradient, sensitivity}) {
            if (perValue != null && perValue.length != tensor.values().length) {
                throw new IllegalArgumentException("tensor " + tensor.name() + " has " + tensor.values().length + " values but " + perValue.length + " sensitivities");
            }
        }
        List<TensorOption> out = new ArrayList<>();
        for (TensorPrecision p : grid.precisions()) {
            QuantizedTensor q = Quantizer.quantize(tensor, p);
            out.add(new TensorOption(p, PayloadRate.estimate(q), lossChange(tensor.values(), Quantizer.dequantize(q).values(), gradient, sensitivity)));
        }
        return out;
    }

    static double lossChange(float[] w, float[] restored, float[] gradient, float[] sensitivity) {
        double first = 0, second = 0;
        for (int i = 0; i < w.length; i++) {
            double d = (double) restored[i] - w[i];
            if (gradient != null) first += gradient[i] * d;
            second += (sensitivity == null ? 1 : sensitivity[i]) * d * d;
        }
        return first + second / 2;
    }
}
