package headroom.artifact;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What the container says about the model besides its tensors: the model spec (UTF-8 JSON, opaque
 * here; the caller writes and reads it) and the id of the tokenizer the model was trained with.
 */
public record ContainerHeader(String modelSpec, String tokenizerId) {

    public ContainerHeader {
        Objects.requireNonNull(modelSpec, "modelSpec");
        Objects.requireNonNull(tokenizerId, "tokenizerId");
        int idBytes = tokenizerId.getBytes(StandardCharsets.UTF_8).length;
        if (idBytes > 0xFFFF) throw new IllegalArgumentException("tokenizerId must be at most 65535 UTF-8 bytes, got " + idBytes);
    }
}
