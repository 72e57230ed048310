package headroom.artifact;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CodecTest {

    private static byte[] sample() {
        StringBuilder text = new StringBuilder();
        Random random = new Random(3);
        for (int i = 0; i < 4000; i++) text.append("token").append(random.nextInt(50)).append(' ');
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void everyCodecRoundTrips() throws Exception {
        byte[] data = sample();
        for (Codec codec : Codec.values()) {
            byte[] compressed = codec.compress(data);
            assertTrue(compressed.length < data.length / 2, codec + " gave " + compressed.length + " of " + data.length);
            assertArrayEquals(data, codec.decompress(compressed, data.length), codec + " round trip");
            assertEquals(codec, Codec.fromId(codec.id()));
        }
    }

    @Test
    void decompressionChecksTheDeclaredLength() {
        byte[] data = sample();
        for (Codec codec : Codec.values()) {
            byte[] compressed = codec.compress(data);
            String shorter = assertThrows(ArtifactFormatException.class, () -> codec.decompress(compressed, data.length - 1)).getMessage();
            assertTrue(shorter.contains("more than the declared"), shorter);
            String longer = assertThrows(ArtifactFormatException.class, () -> codec.decompress(compressed, data.length + 1)).getMessage();
            assertTrue(longer.contains("decodes to " + data.length + " bytes"), longer);
            byte[] garbage = new byte[64];
            new Random(5).nextBytes(garbage);
            assertThrows(ArtifactFormatException.class, () -> codec.decompress(garbage, 1000), codec + " on garbage");
        }
        assertThrows(ArtifactFormatException.class, () -> Codec.fromId(9));
    }

    @Test
    void aDecompressionBombStopsAtTheDeclaredLength() {
        byte[] bomb = Codec.ZSTD.compress(new byte[16 << 20]); // 16 MiB of zeros in a few hundred bytes
        assertTrue(bomb.length < 4096, "bomb is " + bomb.length + " bytes");
        String message = assertThrows(ArtifactFormatException.class, () -> Codec.ZSTD.decompress(bomb, 1000)).getMessage();
        assertTrue(message.contains("more than the declared 1000 bytes"), message);
    }

    @Test
    void smallestKeepsTheMinimum() {
        byte[] data = sample();
        Compressed best = Compression.smallest(data);
        assertEquals(Codec.values().length, best.sizes().size());
        int min = best.sizes().values().stream().mapToInt(Integer::intValue).min().orElseThrow();
        assertEquals(min, best.bytes().length);
        assertEquals(min, best.sizes().get(best.codec()));
        assertEquals(best.codec().compress(data).length, best.bytes().length);
    }
}
