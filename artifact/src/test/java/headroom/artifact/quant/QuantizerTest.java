package headroom.artifact.quant;

import headroom.core.TensorClass;
import headroom.core.WeightTensor;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuantizerTest {

    static WeightTensor gaussian(String name, int rows, int cols, long seed) {
        Random random = new Random(seed);
        float[] values = new float[rows * cols];
        for (int i = 0; i < values.length; i++) values[i] = (float) (random.nextGaussian() * 0.02);
        return new WeightTensor(name, TensorClass.MLP, new int[]{rows, cols}, values);
    }

    @Test
    void quantizesAHandCheckedRow() {
        // int4: qmax 7, max |w| 7 -> scale 1 exactly; 2.4 rounds to 2
        WeightTensor row = new WeightTensor("w", TensorClass.MLP, new int[]{1, 4}, new float[]{7f, -3f, 2.4f, -7f});
        QuantizedTensor q = Quantizer.quantize(row, TensorPrecision.of(QuantFormat.INT4));
        assertEquals(1f, Fp16.toFloat(q.scales()[0]));
        assertArrayEquals(new int[]{7, -3, 2, -7}, BitPacking.unpack(q.packed(), 4, 4));
        assertArrayEquals(new float[]{7f, -3f, 2f, -7f}, Quantizer.dequantize(q).values());
    }

    @Test
    void errorIsAtMostHalfAScaleForEveryWidth() {
        WeightTensor tensor = gaussian("mlp.w", 24, 333, 1);
        for (QuantFormat format : new QuantFormat[]{QuantFormat.INT8, QuantFormat.INT6, QuantFormat.INT4}) {
            QuantizedTensor q = Quantizer.quantize(tensor, TensorPrecision.of(format));
            float[] back = Quantizer.dequantize(q).values();
            double worst = 0;
            for (int i = 0; i < back.length; i++) {
                float scale = Fp16.toFloat(q.scales()[i / tensor.cols()]);
                double error = Math.abs(back[i] - tensor.values()[i]);
                assertTrue(error <= scale / 2 * (1 + 1e-6), format + " element " + i + ": error " + error + " > scale/2 " + scale / 2);
                worst = Math.max(worst, error / scale);
            }
            System.out.printf("%s max error / scale = %.4f%n", format, worst);
        }
    }

    @Test
    void outliersAreKeptInFp16AndLeaveTheRowScale() {
        WeightTensor base = gaussian("attn.wq", 8, 125, 2);
        float[] values = base.values().clone();
        values[17] = 3.0f;    // row 0
        values[600] = -2.5f;  // row 4
        WeightTensor tensor = new WeightTensor("attn.wq", TensorClass.ATTENTION, base.shape(), values);
        QuantizedTensor q = Quantizer.quantize(tensor, new TensorPrecision(QuantFormat.INT6, new ClipRule.None(), 0.002)); // 2 of 1000
        assertArrayEquals(new int[]{17, 600}, q.outlierPositions());
        float[] back = Quantizer.dequantize(q).values();
        assertEquals(Fp16.round(3.0f), back[17]);
        assertEquals(Fp16.round(-2.5f), back[600]);
        float rowZeroScale = Fp16.toFloat(q.scales()[0]);
        assertTrue(rowZeroScale < 0.1f / 31, "row 0 scale " + rowZeroScale + " must ignore its 3.0 outlier");
        for (int i = 0; i < back.length; i++) {
            if (i == 17 || i == 600) continue;
            assertTrue(Math.abs(back[i] - values[i]) <= Fp16.toFloat(q.scales()[i / 125]) / 2 * (1 + 1e-6), "element " + i);
        }
    }

    @Test
    void clipSaturatesValuesBeyondIt() {
        // std of {7, -7, 0, 0} is sqrt(24.5) = 4.95: k = 1 clips at 4.95, so +-7 saturate at +-qmax x scale
        WeightTensor row = new WeightTensor("w", TensorClass.MLP, new int[]{1, 4}, new float[]{7f, -7f, 0f, 0f});
        QuantizedTensor q = Quantizer.quantize(row, new TensorPrecision(QuantFormat.INT4, new ClipRule.StdMultiple(1), 0));
        float scale = Fp16.toFloat(q.scales()[0]);
        assertEquals(Math.sqrt(24.5) / 7, scale, 1e-3);
        assertArrayEquals(new float[]{7 * scale, -7 * scale, 0f, 0f}, Quantizer.dequantize(q).values());
    }

    @Test
    void percentileClipUsesNearestRank() {
        float[] row = {1, -2, 3, -4, 5, -6, 7, -8, 9, -10};
        assertEquals(9.0, new ClipRule.Percentile(90).clipFor(row, 0, row.length));
        assertEquals(10.0, new ClipRule.Percentile(100).clipFor(row, 0, row.length));
        assertEquals(1.0, new ClipRule.Percentile(1).clipFor(row, 0, row.length));
    }

    @Test
    void floatFormatsAndZeroRowsRoundTrip() {
        WeightTensor norm = new WeightTensor("norm.g", TensorClass.NORM_CONDITIONING, new int[]{5}, new float[]{1f, 0.5f, -0.25f, 1e-3f, 0f});
        float[] expected = new float[5];
        for (int i = 0; i < 5; i++) expected[i] = Fp16.round(norm.values()[i]);
        assertArrayEquals(expected, Quantizer.dequantize(Quantizer.quantize(norm, TensorPrecision.FP16)).values());
        assertArrayEquals(norm.values(), Quantizer.dequantize(Quantizer.quantize(norm, TensorPrecision.of(QuantFormat.FP32))).values());
        WeightTensor zeros = new WeightTensor("z", TensorClass.MLP, new int[]{2, 3}, new float[6]);
        QuantizedTensor q = Quantizer.quantize(zeros, TensorPrecision.of(QuantFormat.INT8));
        assertArrayEquals(new short[]{0, 0}, q.scales());
        assertArrayEquals(new float[6], Quantizer.dequantize(q).values());
    }

    @Test
    void rejectsNonFiniteWeights() {
        float[] values = new float[4];
        values[2] = Float.NaN;
        WeightTensor bad = new WeightTensor("bad", TensorClass.MLP, new int[]{2, 2}, values);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Quantizer.quantize(bad, TensorPrecision.of(QuantFormat.INT8)));
        assertTrue(e.getMessage().contains("bad") && e.getMessage().contains("at 2"), e.getMessage());
    }
}
