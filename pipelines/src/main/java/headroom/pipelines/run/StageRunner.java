package headroom.pipelines.run;

import headroom.tokenizer.io.FileTrees;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Map;

/**
 * Runs stages in one run directory with three guarantees:
 * <ol>
 *   <li>a stage whose code version, conf section and inputs are unchanged is skipped;</li>
 *   <li>outputs are written to {@code .staging/} and renamed into place only on success, so a
 *       killed stage leaves nothing half-written where a reader would look;</li>
 *   <li>whatever a killed run left in {@code .staging/} is removed before the stage runs again.</li>
 * </ol>
 */
public final class StageRunner {

    private static final Logger LOG = LoggerFactory.getLogger(StageRunner.class);
    public static final String STAGING = ".staging";

    private final Path runDir;
    private final boolean force;

    public StageRunner(Path runDir, boolean force) {
        this.runDir = runDir.toAbsolutePath().normalize();
        this.force = force;
    }

    public Path runDir() {
        return runDir;
    }

    public Manifest manifest() {
        return Manifest.load(runDir);
    }

    /** The outcome of {@link #run}: the stage's record and whether it was skipped as up to date. */
    public record Outcome(StageRecord record, boolean skipped) {
    }

    public Outcome run(Stage stage) {
        StageSpec spec = stage.spec();
        String fingerprint = Fingerprint.of(spec);
        Manifest manifest = manifest();
        StageRecord previous = manifest.stage(spec.name()).orElse(null);
        if (!force && isUpToDate(previous, fingerprint, spec)) {
            LOG.info("{}: up to date (inputs, conf and code unchanged since {}), skipped; --force re-runs it",
                    spec.name(), previous.endedAt());
            return new Outcome(previous, true);
        }
        Path stagingRoot = runDir.resolve(STAGING).resolve(spec.name());
        FileTrees.deleteTree(stagingRoot);
        Instant start = Instant.now();
        manifest.put(new StageRecord(spec.name(), StageRecord.Status.RUNNING, fingerprint, spec.codeVersion(),
                spec.confSnapshot(), spec.inputFingerprints(), start.toString(), null, 0, Map.of(), null));
        try {
            Files.createDirectories(stagingRoot);
            Map<String, Object> counts = stage.execute(new StageContext(runDir, stagingRoot));
            for (String output : spec.outputs()) publish(stagingRoot.resolve(output), runDir.resolve(output));
            FileTrees.deleteTree(stagingRoot);
            Instant end = Instant.now();
            StageRecord done = new StageRecord(spec.name(), StageRecord.Status.SUCCEEDED, fingerprint, spec.codeVersion(),
                    spec.confSnapshot(), spec.inputFingerprints(), start.toString(), end.toString(),
                    seconds(start, end), counts, null);
            manifest.put(done);
            LOG.info("{}: done in {}s", spec.name(), String.format("%.1f", done.seconds()));
            return new Outcome(done, false);
        } catch (Exception e) {
            Instant end = Instant.now();
            manifest.put(new StageRecord(spec.name(), StageRecord.Status.FAILED, fingerprint, spec.codeVersion(),
                    spec.confSnapshot(), spec.inputFingerprints(), start.toString(), end.toString(),
                    seconds(start, end), Map.of(), String.valueOf(e.getMessage())));
            FileTrees.deleteTree(stagingRoot);
            if (e instanceof RuntimeException re) throw re;
            throw new StageFailedException(spec.name() + " failed: " + e.getMessage(), e);
        }
    }

    private boolean isUpToDate(StageRecord previous, String fingerprint, StageSpec stage) {
        return previous != null
                && previous.status() == StageRecord.Status.SUCCEEDED
                && fingerprint.equals(previous.fingerprint())
                && stage.outputs().stream().allMatch(o -> Files.exists(runDir.resolve(o)));
    }

    /** Replaces {@code target} with {@code staged}: the old output stays whole until the new one is complete. */
    private static void publish(Path staged, Path target) throws IOException {
        if (!Files.exists(staged)) {
            throw new IllegalStateException("stage did not write its output " + staged.getFileName());
        }
        Files.createDirectories(target.getParent());
        if (Files.isRegularFile(staged)) {
            Files.move(staged, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return;
        }
        Path trash = target.resolveSibling("." + target.getFileName() + ".old");
        FileTrees.deleteTree(trash);
        if (Files.exists(target)) Files.move(target, trash, StandardCopyOption.ATOMIC_MOVE);
        Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
        FileTrees.deleteTree(trash);
    }

    private static double seconds(Instant a, Instant b) {
        return (b.toEpochMilli() - a.toEpochMilli()) / 1000.0;
    }

    /** A stage failed with a checked exception; the message speaks of the stage and its data. */
    public static final class StageFailedException extends RuntimeException {
        public StageFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
