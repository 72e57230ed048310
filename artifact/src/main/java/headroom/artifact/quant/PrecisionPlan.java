package headroom.artifact.quant;

import headroom.core.TensorClass;
import headroom.core.WeightTensor;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The precision of every tensor class, and optionally of single tensors by name: part of a candidate,
 * and of its name. The compact spec {@code emb=int8,attn=int6,mlp=int6,norm=fp16,clip=std:4,outliers=0.001}
 * (with per-tensor tokens such as {@code @blocks.0.attn.wv=int7/std:4/0.001}, which the byte allocator
 * writes) is parsed by {@link #parse(String)} and written back by {@link #name()}; see
 * {@link PrecisionPlanSpec} for the grammar.
 *
 * @param byTensor per-tensor overrides of the class precision, by tensor name (sorted)
 */
public record PrecisionPlan(Map<TensorClass, TensorPrecision> byClass, Map<String, TensorPrecision> byTensor) {

    /** A plan by tensor class only. */
    public PrecisionPlan(Map<TensorClass, TensorPrecision> byClass) {
        this(byClass, Map.of());
    }

    public PrecisionPlan {
        Objects.requireNonNull(byClass, "byClass");
        Objects.requireNonNull(byTensor, "byTensor");
        TreeMap<String, TensorPrecision> tensors = new TreeMap<>(byTensor);
        for (String name : tensors.keySet()) PrecisionPlanSpec.checkTensorName(name);
        byTensor = Collections.unmodifiableMap(tensors);
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

    /** This plan with {@code tensorName} set to {@code precision}, whatever its class says. */
    public PrecisionPlan withTensor(String tensorName, TensorPrecision precision) {
        Map<String, TensorPrecision> tensors = new TreeMap<>(byTensor);
        tensors.put(tensorName, precision);
        return new PrecisionPlan(byClass, tensors);
    }

    /**
     * The precision a given tensor gets: its own override, else its class's; except that small tensors
     * (1-D: norm gains, per-loop vectors, biases) always stay fp16.
     */
    public TensorPrecision precisionFor(WeightTensor tensor) {
        TensorPrecision precision = byTensor.getOrDefault(tensor.name(), byClass.get(tensor.tensorClass()));
        if (tensor.shape().length == 1 && precision.format().isInteger()) return TensorPrecision.FP16;
        return precision;
    }
}
