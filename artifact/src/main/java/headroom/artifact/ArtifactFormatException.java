package headroom.artifact;

import java.io.IOException;

/** A container or artifact that cannot be read: the message names the problem and a hint. */
public final class ArtifactFormatException extends IOException {

    static final String REWRITE = "the file is incomplete or corrupt: re-run `headroom score` to rewrite it";

    public ArtifactFormatException(String problem, String hint) {
        super(problem + " (hint: " + hint + ")");
    }

    public ArtifactFormatException(String problem, String hint, Throwable cause) {
        super(problem + " (hint: " + hint + ")", cause);
    }
}
