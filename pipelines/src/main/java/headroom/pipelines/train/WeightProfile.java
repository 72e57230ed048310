package headroom.pipelines.train;

import headroom.artifact.Compressed;
import headroom.artifact.Compression;
import headroom.artifact.ContainerHeader;
import headroom.artifact.ContainerWriter;
import headroom.artifact.quant.PrecisionPlan;
import headroom.artifact.quant.QuantizedTensor;
import headroom.artifact.quant.Quantizer;
import headroom.core.TensorClass;
import headroom.core.WeightTensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a trained model's weights mean for its compressed size, recorded in result.json so weight decay
 * (a size knob: Parameter Golf's entries found compressed size tracking weight RMS) can be swept against
 * bytes: the RMS of the matrices by tensor class, and the bytes per parameter of the model's weights as
 * an int8 per-row container compressed with the smallest codec (tokenizer and file framing excluded).
 */
final class WeightProfile {

    static final PrecisionPlan INT8 = PrecisionPlan.parse("emb=int8,attn=int8,mlp=int8,norm=fp16");

    private WeightProfile() {
    }

    static Map<String, Object> of(List<WeightTensor> weights) {
        Map<String, Object> rms = new LinkedHashMap<>();
        double sumSq = 0;
        long n = 0;
        for (TensorClass c : TensorClass.values()) {
            double classSq = 0;
            long classN = 0;
            for (WeightTensor w : weights) {
                if (w.tensorClass() != c || w.shape().length != 2) continue;
                for (float v : w.values()) classSq += (double) v * v;
                classN += w.values().length;
            }
            if (classN > 0 && c != TensorClass.NORM_CONDITIONING) {
                rms.put(c.name(), Math.sqrt(classSq / classN));
                sumSq += classSq;
                n += classN;
            }
        }
        rms.put("matrices", n == 0 ? Double.NaN : Math.sqrt(sumSq / n));
        List<QuantizedTensor> tensors = weights.stream().map(w -> Quantizer.quantize(w, INT8.precisionFor(w))).toList();
        Compressed compressed = Compression.smallest(ContainerWriter.write(new ContainerHeader("{}", ""), tensors));
        long parameters = weights.stream().mapToLong(WeightTensor::size).sum();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("weightRms", rms);
        out.put("int8BytesPerParam", compressed.bytes().length / (double) parameters);
        out.put("int8Codec", compressed.codec().name().toLowerCase(java.util.Locale.ROOT));
        return out;
    }
}
