package headroom.pipelines.run;

import java.util.List;
import java.util.Map;

/**
 * One step of the pipeline as the {@link StageRunner} sees it: what it depends on, what it
 * writes, and the work itself. The runner decides whether to run it and makes its outputs
 * appear atomically.
 */
public interface Stage {

    /** Short name, also the manifest key and the CLI subcommand: "prep", "sweep", ... */
    String name();

    /** Bumped whenever the stage's outputs would change for the same inputs and conf. */
    String codeVersion();

    /** The stage's conf section as JSON: part of its fingerprint and of the manifest. */
    String confSnapshot();

    /** Fingerprints of everything it reads: input files, or upstream stages' fingerprints. */
    Map<String, String> inputFingerprints();

    /** Directories (or single files, such as a report page) under the run directory that this stage owns and writes whole. */
    List<String> outputs();

    /**
     * Does the work, writing each output under {@code context.staging(output)}; returns the
     * counts to record in the manifest (documents, bytes, ...).
     */
    Map<String, Object> execute(StageContext context) throws Exception;
}
