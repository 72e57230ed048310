package headroom.artifact.alloc;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The option chosen for each tensor, with the estimated bytes and distortion they add up to. */
public record Allocation(Map<String, TensorOption> chosen, double bytes, double distortion) {

    public Allocation {
        chosen = Collections.unmodifiableMap(new LinkedHashMap<>(chosen));
    }
}
