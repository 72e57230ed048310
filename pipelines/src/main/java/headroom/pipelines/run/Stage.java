package headroom.pipelines.run;

import java.util.Map;

/**
 * One unit of a planned {@link PipelineStage} as the {@link StageRunner} sees it: what it depends on and writes
 * ({@link #spec()}), and the work itself. The runner records it in the manifest under its own name, decides whether
 * to run it and makes its outputs appear atomically.
 */
public interface Stage {

    StageSpec spec();

    default String name() {
        return spec().name();
    }

    /**
     * Does the work, writing each output under {@code context.staging(output)}; returns the
     * counts to record in the manifest (documents, bytes, ...).
     */
    Map<String, Object> execute(StageContext context) throws Exception;
}
