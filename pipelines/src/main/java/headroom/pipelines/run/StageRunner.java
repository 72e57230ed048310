package headroom.pipelines.run;

import headroom.core.io.FileTrees;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

    public RunLayout layout() {
        return new RunLayout(runDir);
    }

    /** Whether up-to-date stages run again. */
    public boolean force() {
        return force;
    }

    public Manifest manifest() {
        return Manifest.load(runDir);
    }

    /** The outcome of {@link #run}: the stage's record and whether it was skipped as up to date. */
    public record Outcome(StageRecord record, boolean skipped) {
    }

    /** Plans {@code stage} (its checks, before any Spark job) and runs its units: how every stage starts. */
    public <U extends Stage> List<Outcome> start(PipelineStage<U> stage) throws Exception {
        return stage.run(this, stage.plan(layout(), force));
    }

    /** Runs one unit of a planned stage unless it is up to date. */
    public Outcome run(Stage stage) {
        Optional<Outcome> skipped = upToDate(stage);
        if (skipped.isPresent()) return skipped.get();
        Instant start = begin(stage);
        try {
            Map<String, Object> counts = executeAndPublish(runDir, stage); // before the end time is taken
            return succeeded(stage, start, Instant.now(), counts);
        } catch (Exception e) {
            failed(stage, start, Instant.now(), e);
            if (e instanceof RuntimeException re) throw re;
            throw new StageFailedException(stage.spec().name() + " failed: " + e.getMessage(), e);
        }
    }

    /*
     * The steps of run(), apart, for stages that execute in another process (a Spark task): the driver
     * checks, begins and records; only it writes the manifest. The task runs executeAndPublish.
     */

    /** The skipped outcome when the stage is up to date (and not forced); empty when it must run. */
    public Optional<Outcome> upToDate(Stage stage) {
        StageSpec spec = stage.spec();
        StageRecord previous = manifest().stage(spec.name()).orElse(null);
        if (force || !isUpToDate(previous, Fingerprint.of(spec), spec)) return Optional.empty();
        LOG.info("{}: up to date (inputs, conf and code unchanged since {}), skipped; --force re-runs it",
                spec.name(), previous.endedAt());
        return Optional.of(new Outcome(previous, true));
    }

    /** Records the stage as RUNNING and returns its start. */
    public Instant begin(Stage stage) {
        StageSpec spec = stage.spec();
        Instant start = Instant.now();
        manifest().put(new StageRecord(spec.name(), StageRecord.Status.RUNNING, Fingerprint.of(spec), spec.codeVersion(),
                spec.confSnapshot(), spec.inputFingerprints(), start.toString(), null, 0, Map.of(), null));
        return start;
    }

    /**
     * Executes the stage into {@code .staging/<stage>/} (emptied first: a killed attempt's leftovers go) and
     * renames each output into place; touches no manifest. On failure the staging folder is removed.
     */
    public static Map<String, Object> executeAndPublish(Path runDir, Stage stage) throws Exception {
        StageSpec spec = stage.spec();
        Path stagingRoot = runDir.resolve(STAGING).resolve(spec.name());
        FileTrees.deleteTree(stagingRoot);
        try {
            Files.createDirectories(stagingRoot);
            Map<String, Object> counts = stage.execute(new StageContext(runDir, stagingRoot));
            for (String output : spec.outputs()) publish(stagingRoot.resolve(output), runDir.resolve(output));
            return counts;
        } finally {
            FileTrees.deleteTree(stagingRoot);
        }
    }

    /** Records the stage as SUCCEEDED with its counts. */
    public Outcome succeeded(Stage stage, Instant start, Instant end, Map<String, Object> counts) {
        StageSpec spec = stage.spec();
        StageRecord done = new StageRecord(spec.name(), StageRecord.Status.SUCCEEDED, Fingerprint.of(spec), spec.codeVersion(),
                spec.confSnapshot(), spec.inputFingerprints(), start.toString(), end.toString(), seconds(start, end), counts, null);
        manifest().put(done);
        LOG.info("{}: done in {}s", spec.name(), String.format("%.1f", done.seconds()));
        return new Outcome(done, false);
    }

    /** Records the stage as FAILED with the error's message. */
    public void failed(Stage stage, Instant start, Instant end, Throwable error) {
        StageSpec spec = stage.spec();
        manifest().put(new StageRecord(spec.name(), StageRecord.Status.FAILED, Fingerprint.of(spec), spec.codeVersion(),
                spec.confSnapshot(), spec.inputFingerprints(), start.toString(), end.toString(),
                seconds(start, end), Map.of(), String.valueOf(error.getMessage())));
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
