package headroom.artifact;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/** The smallest encoding of some bytes, which codec gave it, and what every codec gave. */
public record Compressed(Codec codec, byte[] bytes, Map<Codec, Integer> sizes) {

    public Compressed {
        Objects.requireNonNull(codec, "codec");
        sizes = Collections.unmodifiableMap(new EnumMap<>(sizes));
        if (!Integer.valueOf(bytes.length).equals(sizes.get(codec))) {
            throw new IllegalArgumentException("sizes must record the chosen " + codec + " at " + bytes.length + " bytes, got " + sizes);
        }
    }
}
