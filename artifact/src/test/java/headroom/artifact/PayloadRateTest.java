package headroom.artifact;

import headroom.artifact.quant.ClipRule;
import headroom.artifact.quant.QuantFormat;
import headroom.artifact.quant.QuantizedTensor;
import headroom.artifact.quant.Quantizer;
import headroom.artifact.quant.TensorPrecision;
import headroom.core.TensorClass;
import headroom.core.WeightTensor;
import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

class PayloadRateTest {

    /**
     * Weights shaped like trained ones: per-row scales spread over 10x, and either Gaussian or heavy-tailed
     * (Student-t with 3 degrees of freedom) values, so clips and outliers change the code distribution.
     */
    static WeightTensor weights(String kind, int rows, int cols, long seed) {
        Random random = new Random(seed);
        float[] values = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            double scale = 0.02 * Math.pow(10, random.nextDouble());
            for (int c = 0; c < cols; c++) {
                double v = random.nextGaussian();
                if (kind.equals("heavy")) {
                    double chi = 0;
                    for (int k = 0; k < 3; k++) chi += Math.pow(random.nextGaussian(), 2);
                    v = v / Math.sqrt(chi / 3);
                }
                values[r * cols + c] = (float) (scale * v);
            }
        }
        return new WeightTensor("w", TensorClass.MLP, new int[]{rows, cols}, values);
    }

    @Test
    void theEstimateStaysWithin2PercentOfTheCodecTheArtifactKeeps() {
        double worst = 0;
        StringBuilder table = new StringBuilder();
        for (String kind : new String[]{"gaussian", "heavy"}) {
            WeightTensor w = weights(kind, 192, 256, kind.length());
            for (QuantFormat format : QuantFormat.integers()) {
                for (TensorPrecision p : new TensorPrecision[]{new TensorPrecision(format, new ClipRule.None(), 0),
                        new TensorPrecision(format, new ClipRule.StdMultiple(3), 0.001)}) {
                    QuantizedTensor q = Quantizer.quantize(w, p);
                    Compressed real = Compression.smallest(TensorPayload.encode(q));
                    double estimate = PayloadRate.estimate(q);
                    double error = estimate / real.bytes().length - 1;
                    worst = Math.max(worst, Math.abs(error));
                    table.append(String.format(Locale.ROOT, "%s %s %s/%s: estimate %.0f, %s %d (all %s): %+.2f%%%n", kind, format.specName(),
                            p.clip().spec(), p.outlierFraction(), estimate, real.codec(), real.bytes().length, real.sizes(), 100 * error));
                }
            }
        }
        System.out.print(table);
        assertTrue(worst <= 0.02, "worst estimate error " + worst + "\n" + table);
    }
}
