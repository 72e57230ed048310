package headroom.pipelines.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import headroom.artifact.quant.PrecisionPlan;
import headroom.artifact.quant.QuantFormat;
import headroom.artifact.quant.TensorPrecision;
import headroom.core.TensorClass;

import java.util.EnumMap;
import java.util.Map;

/**
 * Bytes per parameter of each tensor class under one precision plan, for the budget model. Until a
 * run has measured them, a documented prior per storage format (reference.conf,
 * {@code headroom.sweep.budget.bytes-per-param}): int8 0.95, int6 0.75, int4 0.50 (per-row codes plus
 * fp16 scales after brotli, measured on the demo's 0.6-1.1M-parameter models and on Gaussian weights,
 * BENCHMARKS.md), fp16 2, fp32 4; an fp16 outlier costs about 4 more bytes (value and delta-coded
 * index). A scored run's {@code bytes-per-param.json} replaces the priors for the plans it measured.
 */
public final class PlanBytes {

    /** Bytes an fp16 outlier adds besides its quantized slot: the value and its delta-coded position. */
    static final double OUTLIER_BYTES = 4.0;

    private PlanBytes() {
    }

    /** The priors applied to the plan's format, clip-independent, plus the outliers' bytes. */
    public static Map<TensorClass, Double> prior(PrecisionPlan plan, Map<QuantFormat, Double> byFormat) {
        Map<TensorClass, Double> out = new EnumMap<>(TensorClass.class);
        for (TensorClass c : TensorClass.values()) {
            TensorPrecision p = plan.of(c);
            Double b = byFormat.get(p.format());
            if (b == null) throw new IllegalArgumentException("no bytes-per-parameter prior for " + p.format().specName());
            out.put(c, b + p.outlierFraction() * OUTLIER_BYTES);
        }
        return out;
    }

    /**
     * The measured values of {@code bytes-per-param.json} for this plan (its {@code by_plan} entry),
     * falling back to the prior for any class the file lacks; the prior alone when the plan was not scored.
     */
    public static Map<TensorClass, Double> measuredOrPrior(PrecisionPlan plan, Map<QuantFormat, Double> byFormat, JsonNode measured) {
        Map<TensorClass, Double> out = prior(plan, byFormat);
        JsonNode entry = measured == null ? null : measured.path("by_plan").path(plan.name());
        if (entry == null || !entry.isObject()) return out;
        for (TensorClass c : TensorClass.values()) {
            JsonNode v = entry.path(c.name());
            if (v.isNumber() && v.asDouble() > 0) out.put(c, v.asDouble());
        }
        return out;
    }
}
