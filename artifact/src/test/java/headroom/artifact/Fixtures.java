package headroom.artifact;

import headroom.artifact.quant.ClipRule;
import headroom.artifact.quant.QuantFormat;
import headroom.artifact.quant.QuantizedTensor;
import headroom.artifact.quant.Quantizer;
import headroom.artifact.quant.TensorPrecision;
import headroom.core.TensorClass;
import headroom.core.WeightTensor;

import java.util.List;
import java.util.Random;

/** A small model's worth of quantized tensors covering every format, odd lengths and outliers. */
final class Fixtures {

    static final ContainerHeader HEADER = new ContainerHeader("{\"vocabSize\":512,\"dModel\":16,\"loops\":3}", "bpe-v512-ab12cd");

    private Fixtures() {
    }

    static List<QuantizedTensor> tensors() {
        return List.of(
                quantize(weights("tok_emb", TensorClass.EMBEDDING_HEAD, new int[]{40, 16}, 1), QuantFormat.INT8, 0.01),
                quantize(weights("blocks.0.attn.wqkv", TensorClass.ATTENTION, new int[]{48, 15}, 2), QuantFormat.INT6, 0.005),
                quantize(weights("blocks.0.mlp.w1", TensorClass.MLP, new int[]{31, 17}, 3), QuantFormat.INT4, 0),
                quantize(weights("blocks.0.mlp.w2", TensorClass.MLP, new int[]{17, 31}, 4), QuantFormat.FP32, 0),
                quantize(weights("loop_gain.2", TensorClass.NORM_CONDITIONING, new int[]{16}, 5), QuantFormat.FP16, 0));
    }

    static WeightTensor weights(String name, TensorClass tensorClass, int[] shape, long seed) {
        Random random = new Random(seed);
        float[] values = new float[shape.length == 1 ? shape[0] : shape[0] * shape[1]];
        for (int i = 0; i < values.length; i++) values[i] = (float) (random.nextGaussian() * 0.05);
        return new WeightTensor(name, tensorClass, shape, values);
    }

    private static QuantizedTensor quantize(WeightTensor w, QuantFormat format, double outliers) {
        ClipRule clip = format.isInteger() ? new ClipRule.StdMultiple(3) : new ClipRule.None();
        return Quantizer.quantize(w, new TensorPrecision(format, clip, outliers));
    }
}
