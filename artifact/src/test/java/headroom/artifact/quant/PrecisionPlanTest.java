package headroom.artifact.quant;

import headroom.core.TensorClass;
import headroom.core.WeightTensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrecisionPlanTest {

    @Test
    void parsesTheCompactSpecAndNamesItBack() {
        String spec = "emb=int8,attn=int6,mlp=int6,norm=fp16,clip=std:4,outliers=0.001";
        PrecisionPlan plan = PrecisionPlan.parse(spec);
        assertEquals(new TensorPrecision(QuantFormat.INT8, new ClipRule.StdMultiple(4), 0.001), plan.of(TensorClass.EMBEDDING_HEAD));
        assertEquals(new TensorPrecision(QuantFormat.INT6, new ClipRule.StdMultiple(4), 0.001), plan.of(TensorClass.MLP));
        assertEquals(TensorPrecision.FP16, plan.of(TensorClass.NORM_CONDITIONING));
        assertEquals(spec, plan.name());
        assertEquals(plan, PrecisionPlan.parse(plan.name()));
    }

    @Test
    void canonicalNameOmitsDefaultsAndOrdersKeys() {
        assertEquals("emb=int8,attn=int4,mlp=int4,norm=fp16", PrecisionPlan.parse("mlp=int4, attn=int4 ,emb=int8").name());
    }

    @Test
    void perClassOverridesRoundTrip() {
        PrecisionPlan plan = PrecisionPlan.parse("emb=int8,attn=int6,mlp=int4,clip=pct:99.9,mlp.clip=std:3.5,emb.outliers=0.0001");
        assertEquals(new ClipRule.Percentile(99.9), plan.of(TensorClass.ATTENTION).clip());
        assertEquals(new ClipRule.StdMultiple(3.5), plan.of(TensorClass.MLP).clip());
        assertEquals(0.0001, plan.of(TensorClass.EMBEDDING_HEAD).outlierFraction());
        assertEquals(0.0, plan.of(TensorClass.MLP).outlierFraction());
        assertEquals("emb=int8,attn=int6,mlp=int4,norm=fp16,emb.clip=pct:99.9,attn.clip=pct:99.9,mlp.clip=std:3.5,"
                + "emb.outliers=0.0001,attn.outliers=0,mlp.outliers=0", plan.name());
        assertEquals(plan, PrecisionPlan.parse(plan.name()));
    }

    @Test
    void badSpecsNameTheTokenAndTheAllowedValues() {
        IllegalArgumentException format = assertThrows(IllegalArgumentException.class, () -> PrecisionPlan.parse("emb=int9,attn=int6,mlp=int6"));
        assertTrue(format.getMessage().contains("'emb=int9'") && format.getMessage().contains("int8|int7|int6|int5|int4|fp16|fp32"), format.getMessage());
        IllegalArgumentException key = assertThrows(IllegalArgumentException.class, () -> PrecisionPlan.parse("emb=int8,attn=int6,mlp=int6,head=int4"));
        assertTrue(key.getMessage().contains("unknown key 'head'"), key.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> PrecisionPlan.parse("emb=int8,attn=int6"));
        assertTrue(missing.getMessage().contains("no format for mlp"), missing.getMessage());
        IllegalArgumentException clip = assertThrows(IllegalArgumentException.class, () -> PrecisionPlan.parse("emb=int8,attn=int6,mlp=int6,clip=std:-1"));
        assertTrue(clip.getMessage().contains("'clip=std:-1'") && clip.getMessage().contains("std:K with K > 0"), clip.getMessage());
        IllegalArgumentException norm = assertThrows(IllegalArgumentException.class, () -> PrecisionPlan.parse("emb=int8,attn=int6,mlp=int6,norm=int8"));
        assertTrue(norm.getMessage().contains("fp16|fp32"), norm.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PrecisionPlan.parse("emb=int8,attn=int6,mlp=int6,outliers=0.9"));
        assertThrows(IllegalArgumentException.class, () -> PrecisionPlan.parse("emb=int8,emb=int6,attn=int6,mlp=int6"));
    }

    @Test
    void perTensorTokensOverrideTheirClassAndRoundTrip() {
        PrecisionPlan plan = PrecisionPlan.parse("emb=int8,attn=int6,mlp=int6,@blocks.0.mlp.w2=int5/std:4/0.001,@blocks.0.attn.wv=int7,@tok_emb=fp16");
        WeightTensor w2 = new WeightTensor("blocks.0.mlp.w2", TensorClass.MLP, new int[]{2, 4}, new float[8]);
        WeightTensor w1 = new WeightTensor("blocks.0.mlp.w1", TensorClass.MLP, new int[]{2, 4}, new float[8]);
        assertEquals(new TensorPrecision(QuantFormat.INT5, new ClipRule.StdMultiple(4), 0.001), plan.precisionFor(w2));
        assertEquals(TensorPrecision.of(QuantFormat.INT6), plan.precisionFor(w1), "a tensor without its own token takes its class's");
        assertEquals("emb=int8,attn=int6,mlp=int6,norm=fp16,@blocks.0.attn.wv=int7/none/0,@blocks.0.mlp.w2=int5/std:4/0.001,@tok_emb=fp16",
                plan.name(), "tensors by name, integer formats with all three parts");
        assertEquals(plan, PrecisionPlan.parse(plan.name()));
        assertEquals(plan, PrecisionPlan.parse("emb=int8,attn=int6,mlp=int6").withTensor("blocks.0.mlp.w2", plan.precisionFor(w2))
                .withTensor("blocks.0.attn.wv", TensorPrecision.of(QuantFormat.INT7)).withTensor("tok_emb", TensorPrecision.FP16));
        IllegalArgumentException format = assertThrows(IllegalArgumentException.class, () -> PrecisionPlan.parse("emb=int8,attn=int6,mlp=int6,@w=int3"));
        assertTrue(format.getMessage().contains("'@w=int3'") && format.getMessage().contains("int8|int7|int6|int5|int4|fp16|fp32"), format.getMessage());
        IllegalArgumentException floatClip = assertThrows(IllegalArgumentException.class, () -> PrecisionPlan.parse("emb=int8,attn=int6,mlp=int6,@w=fp16/std:4"));
        assertTrue(floatClip.getMessage().contains("int8|int7|int6|int5|int4"), floatClip.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PrecisionPlan.parse("emb=int8,attn=int6,mlp=int6,@=int5"));
        assertThrows(IllegalArgumentException.class, () -> PrecisionPlan.parse("emb=int8,attn=int6,mlp=int6,@w=int5/std:4/0.001/x"));
    }

    @Test
    void smallTensorsStayFp16() {
        PrecisionPlan plan = PrecisionPlan.parse("emb=int4,attn=int4,mlp=int4");
        WeightTensor bias = new WeightTensor("mlp.b", TensorClass.MLP, new int[]{8}, new float[8]);
        WeightTensor matrix = new WeightTensor("mlp.w", TensorClass.MLP, new int[]{2, 4}, new float[8]);
        assertEquals(TensorPrecision.FP16, plan.precisionFor(bias));
        assertEquals(QuantFormat.INT4, plan.precisionFor(matrix).format());
    }
}
