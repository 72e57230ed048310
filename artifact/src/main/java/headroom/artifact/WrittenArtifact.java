package headroom.artifact;

import java.nio.file.Path;
import java.util.Map;

/** What {@link ArtifactWriter} wrote: where, with which codec, what each codec gave, and the bytes by part. */
public record WrittenArtifact(Path path, Codec codec, Map<Codec, Integer> codecSizes, ArtifactBytes bytes) {

    public WrittenArtifact {
        codecSizes = Map.copyOf(codecSizes);
    }
}
