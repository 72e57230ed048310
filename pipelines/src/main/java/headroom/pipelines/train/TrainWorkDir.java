package headroom.pipelines.train;

import headroom.core.io.FileTrees;
import headroom.model.train.Checkpoints;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Where one candidate trains: {@link headroom.pipelines.run.RunLayout#trainWork(String)}, outside the runner's staging
 * folder (which a re-run wipes), so checkpoints survive a kill. The folder belongs to one stage
 * fingerprint, written in {@value #FINGERPRINT}: a checkpoint is only resumed by the run that made
 * it, never by a run with another conf, code or input.
 */
final class TrainWorkDir {

    static final String FINGERPRINT = "stage.fingerprint";

    private final Path dir;

    TrainWorkDir(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    /**
     * Readies the folder for the run with this fingerprint and returns the checkpoint step it resumes
     * from, or empty for a fresh run. A checkpoint of the same run is resumed unless {@code force}
     * asks for a fresh one; {@code resume} insists on resuming and fails when there is nothing to resume.
     */
    OptionalLong prepare(String fingerprint, boolean resume, boolean force) throws IOException {
        boolean resumable = hasCheckpointOf(fingerprint);
        if (resume && !resumable) {
            String owner = fingerprint();
            throw new IllegalStateException("--resume: " + dir + " holds no checkpoint of this run"
                    + (owner.isEmpty() || owner.equals(fingerprint) ? "" : " (its checkpoint was trained with another conf, code or input)")
                    + "; run without --resume to start afresh");
        }
        if (resumable && (resume || !force)) return Checkpoints.latestStep(dir);
        startAfresh(fingerprint);
        return OptionalLong.empty();
    }

    /** Whether the folder holds a checkpoint written by the run with this fingerprint. */
    boolean hasCheckpointOf(String fingerprint) throws IOException {
        return fingerprint.equals(fingerprint()) && Checkpoints.latestState(dir).isPresent();
    }

    /** The fingerprint of the run that owns the folder, or "" when there is none. */
    private String fingerprint() throws IOException {
        Path file = dir.resolve(FINGERPRINT);
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8).trim() : "";
    }

    /** The newest checkpoint's state.json; only valid when {@link #hasCheckpointOf} holds. */
    Path latestCheckpointState() throws IOException {
        return Checkpoints.latestState(dir).orElseThrow(() -> new IllegalStateException(dir + " holds no checkpoint"));
    }

    /** Empties the folder and gives it to the run with this fingerprint. */
    private void startAfresh(String fingerprint) throws IOException {
        delete();
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(FINGERPRINT), fingerprint, StandardCharsets.UTF_8);
    }

    void delete() {
        FileTrees.deleteTree(dir);
    }
}
