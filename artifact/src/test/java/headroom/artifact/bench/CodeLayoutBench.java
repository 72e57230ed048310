package headroom.artifact.bench;

import headroom.artifact.Codec;
import headroom.artifact.quant.BitPacking;
import headroom.artifact.quant.ClipRule;
import headroom.artifact.quant.QuantFormat;
import headroom.artifact.quant.QuantizedTensor;
import headroom.artifact.quant.Quantizer;
import headroom.artifact.quant.TensorPrecision;
import headroom.core.TensorClass;
import headroom.core.WeightTensor;

import java.util.Locale;
import java.util.Random;

/**
 * How integer codes narrower than a byte should be stored (docs/ARTIFACT.md, "tensor payload"): for int4
 * to int7, each codec's compressed size of the codes bit-packed against widened to one byte per code, on
 * Gaussian and Laplace weights quantized per row with no clip and with std:4.
 * Run: mvn -o -q -pl artifact -am test-compile && java -cp ... headroom.artifact.bench.CodeLayoutBench [rows cols]
 */
public final class CodeLayoutBench {

    public static void main(String[] args) {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
        int cols = args.length > 1 ? Integer.parseInt(args[1]) : 1024;
        System.out.println("| weights | format, clip | codec | packed bytes/param | widened bytes/param | widened / packed |");
        System.out.println("|---|---|---|---|---|---|");
        for (String distribution : new String[]{"gaussian", "laplace"}) {
            WeightTensor w = weights(distribution, rows, cols);
            for (QuantFormat format : new QuantFormat[]{QuantFormat.INT7, QuantFormat.INT6, QuantFormat.INT5, QuantFormat.INT4}) {
                for (ClipRule clip : new ClipRule[]{new ClipRule.None(), new ClipRule.StdMultiple(4)}) {
                    QuantizedTensor q = Quantizer.quantize(w, new TensorPrecision(format, clip, 0));
                    int[] codes = BitPacking.unpack(q.packed(), format.bits(), q.size());
                    byte[] widened = new byte[codes.length];
                    for (int i = 0; i < codes.length; i++) widened[i] = (byte) codes[i];
                    for (Codec codec : Codec.values()) {
                        double packed = codec.compress(q.packed()).length / (double) q.size();
                        double wide = codec.compress(widened).length / (double) q.size();
                        System.out.printf(Locale.ROOT, "| %s | %s, %s | %s | %.4f | %.4f | %.3f |%n", distribution, format.specName(), clip.spec(),
                                codec.name().toLowerCase(Locale.ROOT), packed, wide, wide / packed);
                    }
                }
            }
        }
    }

    static WeightTensor weights(String distribution, int rows, int cols) {
        Random random = new Random(42);
        float[] values = new float[rows * cols];
        for (int i = 0; i < values.length; i++) {
            double v = distribution.equals("laplace") ? -Math.log(1 - random.nextDouble()) * (random.nextBoolean() ? 1 : -1) : random.nextGaussian();
            values[i] = (float) (0.02 * v);
        }
        return new WeightTensor("w", TensorClass.MLP, new int[]{rows, cols}, values);
    }
}
