package headroom.model;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TrainConfigTest {

    /** batch 64 x seq 32. */
    static TrainConfig tiny(long maxSteps, long maxTokens) {
        return new TrainConfig(64, 32, 1e-3, 1e-4, 10, TrainConfig.Decay.COSINE, 0.1, 0.9, 0.95, 1e-8, 1.0,
                maxSteps, maxTokens, 0, 50, 20, 100, 10, 1337, "cpu", 1);
    }

    @Test
    void mapRoundTrip() {
        TrainConfig c = tiny(500, 0);
        assertEquals(c, TrainConfig.fromMap(c.toMap()));
    }

    @Test
    void errorsNameFieldValueAndRule() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TrainConfig(64, 32, 1e-3, 1e-2, 10,
                TrainConfig.Decay.COSINE, 0.1, 0.9, 0.95, 1e-8, 1.0, 100, 0, 0, 50, 20, 100, 10, 1, "cpu", 1));
        assertEquals("minLr must be in [0, lr=0.001], got 0.01", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new TrainConfig(64, 32, 1e-3, 1e-4, 10,
                TrainConfig.Decay.COSINE, 0.1, 0.9, 1.0, 1e-8, 1.0, 100, 0, 0, 50, 20, 100, 10, 1, "cpu", 1));
        assertEquals("beta2 must be in [0, 1), got 1.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new TrainConfig(64, 32, 1e-3, 1e-4, 10,
                TrainConfig.Decay.COSINE, 0.1, 0.9, 0.95, 1e-8, 1.0, 100, 0, 0, 50, 20, 100, 10, 1, "tpu", 1));
        assertEquals("device must be auto, cpu or gpu, got tpu", e.getMessage());
        Map<String, Object> m = new LinkedHashMap<>(tiny(10, 0).toMap());
        m.put("batchSize", 2.5);
        e = assertThrows(IllegalArgumentException.class, () -> TrainConfig.fromMap(m));
        assertEquals("train config key 'batchSize' must be an integer, got 2.5", e.getMessage());
    }
}
