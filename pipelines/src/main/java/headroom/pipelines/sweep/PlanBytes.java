package headroom.pipelines.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import headroom.artifact.quant.PrecisionPlan;
import headroom.artifact.quant.QuantFormat;
import headroom.artifact.quant.TensorPrecision;
import headroom.core.TensorClass;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Bytes per parameter of each tensor class under one precision plan, for the budget model. Until a
 * run has measured them, a documented prior per storage format (reference.conf,
 * {@code headroom.sweep.budget.bytes-per-param}): int8 0.95, int6 0.75, int4 0.50 (per-row codes plus
 * fp16 scales after brotli, measured on the demo's 0.6-1.1M-parameter models and on Gaussian weights,
 * BENCHMARKS.md), fp16 2, fp32 4; an fp16 outlier costs about 4 more bytes (value and delta-coded
 * index). A scored run's {@code bytes-per-param.json} (or the sweep's own short calibration, in the same format)
 * replaces the priors for the plans it measured, per vocabulary where it measured that vocabulary, and its
 * measured container overhead replaces the conf's allowance.
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

    /**
     * The short name a plan gives the candidates sized under it: the integer format when every weight class shares it
     * with no clip and no outliers ("int8", "int5"); else "p" and the first 8 hex digits of the spec's SHA-256.
     */
    public static String tag(String planSpec) {
        PrecisionPlan plan = PrecisionPlan.parse(planSpec);
        TensorPrecision emb = plan.of(TensorClass.EMBEDDING_HEAD);
        boolean uniform = plan.byTensor().isEmpty() && emb.format().isInteger() && emb.outlierFraction() == 0 && emb.clip().spec().equals("none")
                && plan.of(TensorClass.ATTENTION).equals(emb) && plan.of(TensorClass.MLP).equals(emb);
        if (uniform) return emb.format().specName();
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(plan.name().getBytes(StandardCharsets.UTF_8));
            return "p" + HexFormat.of().formatHex(h, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Per vocabulary size, the {@code by_plan_vocab} entry of this plan ({@code "v512": {"MLP": 0.93, ...}}), each class
     * the file lacks taken from {@code planLevel}; empty when the plan's vocabularies were not measured.
     */
    public static Map<Integer, Map<TensorClass, Double>> byVocab(PrecisionPlan plan, Map<TensorClass, Double> planLevel, JsonNode measured) {
        Map<Integer, Map<TensorClass, Double>> out = new TreeMap<>();
        JsonNode entry = measured == null ? null : measured.path("by_plan_vocab").path(plan.name());
        if (entry == null || !entry.isObject()) return out;
        for (Iterator<Map.Entry<String, JsonNode>> it = entry.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Map<TensorClass, Double> bpp = new EnumMap<>(planLevel);
            for (TensorClass c : TensorClass.values()) {
                JsonNode v = e.getValue().path(c.name());
                if (v.isNumber() && v.asDouble() > 0) bpp.put(c, v.asDouble());
            }
            out.put(Integer.parseInt(e.getKey().substring(1)), bpp);
        }
        return out;
    }

    /** The container overhead the measurement saw (its largest, so that no artifact is under-counted), else {@code fallback}. */
    public static long overhead(JsonNode measured, long fallback) {
        JsonNode v = measured == null ? null : measured.path("overhead_bytes");
        return v != null && v.isNumber() && v.asLong() > 0 ? v.asLong() : fallback;
    }
}
