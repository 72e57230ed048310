package headroom.pipelines.sweep;

import com.fasterxml.jackson.databind.ObjectMapper;
import headroom.artifact.quant.PrecisionPlan;
import headroom.artifact.quant.QuantFormat;
import headroom.core.TensorClass;
import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PlanBytesTest {

    private static final Map<QuantFormat, Double> PRIORS = new EnumMap<>(Map.of(QuantFormat.INT8, 0.95, QuantFormat.INT6, 0.75,
            QuantFormat.INT4, 0.5, QuantFormat.FP16, 2.0, QuantFormat.FP32, 4.0));
    private static final PrecisionPlan INT6 = PrecisionPlan.parse("emb=int8,attn=int6,mlp=int6,norm=fp16,clip=std:4,outliers=0.001");

    @Test
    void eachClassCostsItsFormatsPriorPlusItsOutliers() {
        Map<TensorClass, Double> b = PlanBytes.prior(INT6, PRIORS);
        assertEquals(0.95 + 0.001 * 4, b.get(TensorClass.EMBEDDING_HEAD), 1e-12);
        assertEquals(0.75 + 0.001 * 4, b.get(TensorClass.ATTENTION), 1e-12);
        assertEquals(0.75 + 0.001 * 4, b.get(TensorClass.MLP), 1e-12);
        assertEquals(2.0, b.get(TensorClass.NORM_CONDITIONING), 1e-12);
    }

    @Test
    void aScoredRunsMeasurementOfThisPlanReplacesThePriors() throws Exception {
        var measured = new ObjectMapper().readTree("{\"EMBEDDING_HEAD\": 9.0, \"by_plan\": {\"" + INT6.name()
                + "\": {\"ATTENTION\": 0.71, \"MLP\": 0.69}, \"emb=int8,attn=int8,mlp=int8,norm=fp16\": {\"ATTENTION\": 0.99}}}");
        Map<TensorClass, Double> b = PlanBytes.measuredOrPrior(INT6, PRIORS, measured);
        assertEquals(0.71, b.get(TensorClass.ATTENTION), 1e-12);
        assertEquals(0.69, b.get(TensorClass.MLP), 1e-12);
        assertEquals(0.954, b.get(TensorClass.EMBEDDING_HEAD), 1e-12, "not measured for this plan: the prior, never another plan's value");
        PrecisionPlan unscored = PrecisionPlan.parse("emb=int4,attn=int4,mlp=int4,norm=fp16");
        assertEquals(0.5, PlanBytes.measuredOrPrior(unscored, PRIORS, measured).get(TensorClass.MLP), 1e-12);
    }
}
