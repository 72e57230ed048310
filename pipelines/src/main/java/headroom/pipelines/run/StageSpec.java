package headroom.pipelines.run;

import java.util.List;
import java.util.Map;

/**
 * What the {@link StageRunner} needs to know of a stage before running it: its identity, what it
 * depends on (the three parts of its fingerprint) and what it writes.
 *
 * @param name              manifest key and CLI subcommand: "prep", "sweep", "train/v1024-tied-d192-2x2", ...
 * @param codeVersion       the stage's {@link CodeFingerprint}: changes with any class the stage reaches
 * @param confSnapshot      the stage's conf section(s) as JSON
 * @param inputFingerprints what it reads: input files, or upstream stages' fingerprints
 * @param outputs           directories, or single files such as a report page, under the run directory that
 *                          this stage owns and writes whole
 */
public record StageSpec(String name, String codeVersion, String confSnapshot, Map<String, String> inputFingerprints,
                        List<String> outputs) {

    public StageSpec {
        inputFingerprints = Map.copyOf(inputFingerprints);
        outputs = List.copyOf(outputs);
    }
}
