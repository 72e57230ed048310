package headroom.tokenizer.shards;

import java.io.IOException;
import java.nio.file.Path;

/** A shard file that cannot be trusted: truncated, corrupt, not Arrow, or of another schema. */
public final class InvalidShardException extends IOException {

    public InvalidShardException(Path file, String problem) {
        super("token shard " + file + ": " + problem);
    }

    public InvalidShardException(Path file, String problem, Throwable cause) {
        super("token shard " + file + ": " + problem, cause);
    }
}
