package headroom.artifact;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Tries every codec and keeps the smallest output (ties: the first codec in enum order). */
public final class Compression {

    private Compression() {
    }

    /**
     * The codecs run at once: each is single-threaded and deterministic, and brotli 11 and xz -9e take seconds on a
     * megabyte, so the artifact waits for the slowest codec rather than for their sum. The choice does not depend on
     * which finishes first.
     */
    public static Compressed smallest(byte[] data) {
        List<byte[]> outputs = Arrays.stream(Codec.values()).parallel().map(codec -> codec.compress(data)).toList();
        Map<Codec, Integer> sizes = new EnumMap<>(Codec.class);
        Codec best = null;
        byte[] bestBytes = null;
        for (Codec codec : Codec.values()) {
            byte[] out = outputs.get(codec.ordinal());
            sizes.put(codec, out.length);
            if (bestBytes == null || out.length < bestBytes.length) {
                best = codec;
                bestBytes = out;
            }
        }
        return new Compressed(best, bestBytes, sizes);
    }
}
