package headroom.model;

import headroom.model.ModelConfig.Activation;
import headroom.model.ModelConfig.Conditioning;
import headroom.model.ModelConfig.HeadMode;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ModelConfigTest {

    static ModelConfig small(HeadMode headMode, int headRank, Conditioning conditioning, boolean extraNorm) {
        return new ModelConfig(300, 32, 4, 2, 2, 3, 2, Activation.RELU2, headMode, headRank, conditioning, extraNorm,
                10000, 0, 64);
    }

    @Test
    void derivedValues() {
        ModelConfig c = small(HeadMode.TIED, 0, Conditioning.BOTH, true);
        assertEquals(8, c.headSize());
        assertEquals(6, c.virtualDepth());
        assertEquals(64, c.mlpHidden());
        assertEquals(5, c.withLoops(5).loops());
        assertEquals(c.dModel(), c.withLoops(5).dModel());
    }

    @Test
    void mapRoundTrip() {
        ModelConfig c = new ModelConfig(1024, 512, 8, 4, 3, 3, 2, Activation.GELU, HeadMode.FACTORIZED, 64,
                Conditioning.LOOP_VECTOR, true, 50000, 30, 1024);
        assertEquals(c, ModelConfig.fromMap(c.toMap()));
    }

    @Test
    void errorsNameFieldValueAndRule() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ModelConfig(300, 30, 4, 2, 1, 1, 2, Activation.RELU2, HeadMode.TIED, 0, Conditioning.NONE, false, 10000, 0, 64));
        assertEquals("dModel must be a positive multiple of numHeads=4, got 30", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new ModelConfig(300, 32, 4, 3, 1, 1, 2, Activation.RELU2, HeadMode.TIED, 0, Conditioning.NONE, false, 10000, 0, 64));
        assertEquals("numKvHeads must divide numHeads=4, got 3", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> small(HeadMode.TIED, 8, Conditioning.NONE, false));
        assertEquals("headRank must be 0 unless headMode is FACTORIZED (headMode is TIED), got 8", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> small(HeadMode.FACTORIZED, 32, Conditioning.NONE, false));
        assertEquals("headRank must be in [1, dModel=32) when headMode is FACTORIZED, got 32", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new ModelConfig(300, 32, 4, 2, 1, 0, 2, Activation.RELU2, HeadMode.TIED, 0, Conditioning.NONE, false, 10000, 0, 64));
        assertEquals("loops must be >= 1, got 0", e.getMessage());
    }

    @Test
    void fromMapRejectsUnknownAndMissingKeys() {
        Map<String, Object> m = new LinkedHashMap<>(small(HeadMode.TIED, 0, Conditioning.NONE, false).toMap());
        m.put("dropout", 0.1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelConfig.fromMap(m));
        assertEquals(true, e.getMessage().startsWith("model config has unknown keys [dropout]"), e.getMessage());
        m.remove("dropout");
        m.remove("loops");
        e = assertThrows(IllegalArgumentException.class, () -> ModelConfig.fromMap(m));
        assertEquals("model config is missing key 'loops'", e.getMessage());
        m.put("loops", 2);
        m.put("activation", "SWIGLU");
        e = assertThrows(IllegalArgumentException.class, () -> ModelConfig.fromMap(m));
        assertEquals("model config key 'activation' must be one of [RELU2, GELU], got SWIGLU", e.getMessage());
    }
}
