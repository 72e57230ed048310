package headroom.pipelines.train;

import headroom.pipelines.run.StageRunner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where one candidate trains: {@code runDir/.work/train/<candidate>/}, outside the runner's staging
 * folder (which a re-run wipes), so checkpoints survive a kill. The folder belongs to one stage
 * fingerprint, written in {@value #FINGERPRINT}: a checkpoint is only resumed by the run that made
 * it, never by a run with another conf, code or input.
 */
final class TrainWorkDir {

    static final String ROOT = ".work/train";
    static final String FINGERPRINT = "stage.fingerprint";
    // Trainer's layout (headroom.training.train.Checkpoints): checkpoints/latest names the newest one.
    private static final String LATEST_CHECKPOINT = "checkpoints/latest";

    private final Path dir;

    TrainWorkDir(Path runDir, String candidate) {
        this.dir = runDir.resolve(ROOT).resolve(candidate);
    }

    Path dir() {
        return dir;
    }

    /** Whether the folder holds a checkpoint written by the run with this fingerprint. */
    boolean hasCheckpointOf(String fingerprint) throws IOException {
        return fingerprint.equals(fingerprint()) && Files.exists(dir.resolve(LATEST_CHECKPOINT));
    }

    /** The fingerprint of the run that owns the folder, or "" when there is none. */
    String fingerprint() throws IOException {
        Path file = dir.resolve(FINGERPRINT);
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8).trim() : "";
    }

    /** The newest checkpoint's folder; only valid when {@link #hasCheckpointOf} holds. */
    Path latestCheckpoint() throws IOException {
        return dir.resolve("checkpoints").resolve(Files.readString(dir.resolve(LATEST_CHECKPOINT), StandardCharsets.UTF_8).trim());
    }

    /** Empties the folder and gives it to the run with this fingerprint. */
    void startAfresh(String fingerprint) throws IOException {
        delete();
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(FINGERPRINT), fingerprint, StandardCharsets.UTF_8);
    }

    void delete() {
        StageRunner.deleteTree(dir);
    }
}
