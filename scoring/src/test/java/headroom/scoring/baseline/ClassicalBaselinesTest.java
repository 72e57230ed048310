package headroom.scoring.baseline;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClassicalBaselinesTest {

    @Test
    void repetitiveTextCompressesFarBelowRandomBytes() {
        byte[] repetitive = "the quick brown fox jumps over the lazy dog. ".repeat(500).getBytes(StandardCharsets.UTF_8);
        byte[] random = new byte[repetitive.length];
        new Random(1).nextBytes(random);
        Map<String, Double> low = ClassicalBaselines.bitsPerByte(repetitive);
        Map<String, Double> high = ClassicalBaselines.bitsPerByte(random);
        assertEquals(List.of("gzip -9", "xz -9e", "zstd -19"), List.copyOf(low.keySet()));
        for (String compressor : low.keySet()) {
            assertTrue(low.get(compressor) < 0.1, compressor + " on repeated text: " + low.get(compressor));
            // random bytes cannot be compressed: 8 bits per byte plus framing
            assertTrue(high.get(compressor) >= 8.0 && high.get(compressor) < 8.2, compressor + " on random bytes: " + high.get(compressor));
        }
    }

    @Test
    void emptyTextIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> ClassicalBaselines.bitsPerByte(new byte[0]));
    }
}
