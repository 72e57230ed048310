package headroom.pipelines.run;

import java.nio.file.Path;

/** Where a running stage writes: staging directories that the runner renames into place on success. */
public record StageContext(Path runDir, Path stagingRoot) {

    /** The staging directory or file of one of the stage's outputs (a name of its {@link StageSpec#outputs()}). */
    public Path staging(String output) {
        return stagingRoot.resolve(output);
    }

    /** The staging area, laid out as the run directory: where this stage writes its outputs. */
    public RunLayout staged() {
        return new RunLayout(stagingRoot);
    }

    /** The run directory: where the finished stages' outputs are read. */
    public RunLayout finished() {
        return new RunLayout(runDir);
    }
}
