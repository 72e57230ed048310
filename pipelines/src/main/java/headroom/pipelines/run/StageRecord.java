package headroom.pipelines.run;

import java.util.Map;

/**
 * What one stage did in a run directory: enough to decide whether it is up to date and to
 * reproduce it (the conf snapshot, the fingerprints of its inputs, the code version).
 */
public record StageRecord(
        String stage,
        Status status,
        String fingerprint,      // sha256 of code version + conf snapshot + input fingerprints
        String codeVersion,      // the stage's CodeFingerprint: hex SHA-256 of the classes it reaches
        String conf,             // the stage's conf section as JSON
        Map<String, String> inputs,
        String startedAt,
        String endedAt,
        double seconds,
        Map<String, Object> outputs,
        String error) {

    public enum Status { RUNNING, SUCCEEDED, FAILED }

    public StageRecord {
        inputs = inputs == null ? Map.of() : Map.copyOf(inputs);
        outputs = outputs == null ? Map.of() : outputs;
    }
}
