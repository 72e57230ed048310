package headroom.pipelines.run;

import java.nio.file.Path;

/** Where a running stage writes: staging directories that the runner renames into place on success. */
public record StageContext(Path runDir, Path stagingRoot) {

    /** The staging directory for one of the stage's outputs (e.g. "corpus"). */
    public Path staging(String output) {
        return stagingRoot.resolve(output);
    }

    /** The final location of an output of another, finished stage. */
    public Path finished(String output) {
        return runDir.resolve(output);
    }
}
