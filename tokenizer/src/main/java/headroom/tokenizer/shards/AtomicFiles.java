package headroom.tokenizer.shards;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/** Write-to-temp-then-rename, so a reader never sees a half-written file under its final name. */
final class AtomicFiles {

    private AtomicFiles() {
    }

    /**
     * A temp path beside {@code target} (same directory, so the rename stays on one file system).
     * It starts with a dot, so listings of finished files skip it.
     */
    static Path tempFor(Path target) {
        Path name = target.getFileName();
        return target.resolveSibling("." + name + "." + UUID.randomUUID() + ".tmp");
    }

    static void publish(Path temp, Path target) throws IOException {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
