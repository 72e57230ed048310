package headroom.core.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/**
 * Write-to-temp-then-rename, so a reader never sees a half-written file under its final name.
 * The one way every module writes a file that others read (shards, manifests, model files,
 * artifacts, reports); it lives in the lowest module so all of them can use it.
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    /**
     * A temp path beside {@code target} (same directory, so the rename stays on one file system).
     * It starts with a dot, so listings of finished files skip it.
     */
    public static Path tempFor(Path target) {
        Path absolute = target.toAbsolutePath();
        return absolute.resolveSibling("." + absolute.getFileName() + "." + UUID.randomUUID() + ".tmp");
    }

    /** Renames a finished temp file over {@code target}. */
    public static void publish(Path temp, Path target) throws IOException {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Writes the bytes to a temp file beside the target, then renames it into place. */
    public static void write(Path target, byte[] bytes) throws IOException {
        Path absolute = target.toAbsolutePath();
        Files.createDirectories(absolute.getParent());
        Path temp = tempFor(absolute);
        try {
            Files.write(temp, bytes);
            publish(temp, absolute);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
