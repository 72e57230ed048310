package headroom.artifact;

import java.util.EnumMap;
import java.util.Map;

/** Tries every codec and keeps the smallest output (ties: the first codec in enum order). */
public final class Compression {

    private Compression() {
    }

    public static Compressed smallest(byte[] data) {
        Map<Codec, Integer> sizes = new EnumMap<>(Codec.class);
        Codec best = null;
        byte[] bestBytes = null;
        for (Codec codec : Codec.values()) {
            byte[] out = codec.compress(data);
            sizes.put(codec, out.length);
            if (bestBytes == null || out.length < bestBytes.length) {
                best = codec;
                bestBytes = out;
            }
        }
        return new Compressed(best, bestBytes, sizes);
    }
}
