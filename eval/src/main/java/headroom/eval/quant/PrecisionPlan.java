package headroom.eval.quant;

import headroom.training.TensorClass;
import headroom.training.WeightTensor;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * The precision of every tensor class: part of a candidate, and of its name. The compact spec
 * {@code emb=int8,attn=int6,mlp=int6,norm=fp16,clip=std:4,outliers=0.001} is parsed by
 * {@link #parse(String)} and written back by {@link #name()}; see {@link PrecisionPlanSpec} for the grammar.
 */
public record PrecisionPlan(Map<TensorClass, TensorPrecision> byClass) {

    public PrecisionPlan {
        Objects.requireNonNull(byClass, "byClass");
        EnumMap<TensorClass, TensorPrecision> copy = new EnumMap<>(TensorClass.class);
        copy.putAll(byClass);
        for (TensorClass c : TensorClass.values()) {
            if (!copy.containsKey(c)) throw new IllegalArgumentException("precision plan has no precision for " + c);
        }
        if (copy.get(TensorClass.NORM_CONDITIONING).format().isInteger()) {
            throw new IllegalArgumentException("NORM_CONDITIONING must be fp16 or fp32 (small tensors are never integer-quantized), got "
                    + copy.get(TensorClass.NORM_CONDITIONING).format());
        }
        byClass = Collections.unmodifiableMap(copy);
    }

    public static PrecisionPlan parse(String spec) {
        return PrecisionPlanSpec.parse(spec);
    }

    /** The canonical spec: parse(name()) equals this plan. */
    public String name() {
        return PrecisionPlanSpec.format(this);
    }

    public TensorPrecision of(TensorClass tensorClass) {
        return byClass.get(tensorClass);
    }

    /**
     * The precision a given tensor gets: its class's, except that small tensors (1-D: norm gains,
     * per-loop vectors, biases) always stay fp16, whatever their class.
     */
    public TensorPrecision precisionFor(WeightTensor tensor) {
        TensorPrecision precision = byClass.get(tensor.tensorClass());
        if (tensor.shape().length == 1 && precision.format().isInteger()) return TensorPrecision.FP16;
        return precision;
    }
}
