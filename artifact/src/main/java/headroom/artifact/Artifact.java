package headroom.artifact;

import java.util.Objects;

/** A read artifact: the decoded container, the codec it was stored with, the tokenizer asset, the file size. */
public record Artifact(Container container, Codec codec, byte[] tokenizerAsset, long fileBytes) {

    public Artifact {
        Objects.requireNonNull(container, "container");
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(tokenizerAsset, "tokenizerAsset");
    }
}
