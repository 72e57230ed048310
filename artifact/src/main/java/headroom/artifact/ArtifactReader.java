package headroom.artifact;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads and validates an artifact file: framing, checksum, codec, container (see {@link ContainerReader}). */
public final class ArtifactReader {

    /** Largest artifact file accepted, checked before reading: 64x the 16 MB cap. */
    static final long MAX_FILE_BYTES = 1L << 30;

    private ArtifactReader() {
    }

    public static Artifact read(Path path) throws IOException {
        long size = Files.size(path);
        if (size > MAX_FILE_BYTES) {
            throw new ArtifactFormatException(path + " is " + size + " bytes, beyond the " + MAX_FILE_BYTES + "-byte limit for an artifact",
                    "check the path: artifacts are written by `headroom score` under artifacts/");
        }
        return read(Files.readAllBytes(path));
    }

    public static Artifact read(byte[] file) throws ArtifactFormatException {
        return ArtifactFile.decode(file);
    }
}
