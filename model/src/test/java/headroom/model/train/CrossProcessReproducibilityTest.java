package headroom.model.train;

import headroom.model.bench.ReproducibilityProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13: a seed is a seed. The same short training runs in three fresh JVMs, with one torch
 * thread and with two; every step's loss, the final weights' sha256 and the val bits per byte must
 * be identical between the processes of one thread count. The children run with a small young
 * generation, so the JVM collects garbage (and frees native buffers) many times during the run: the
 * condition under which issue 13's runs drifted apart.
 */
class CrossProcessReproducibilityTest {

    private static final List<String> PROBE_ARGS = List.of("--vocab", "512", "--d", "64", "--unique", "2", "--loops", "2",
            "--head-size", "32", "--seq", "64", "--batch", "8", "--steps", "60", "--warmup", "3");

    @Test
    void oneThread(@TempDir Path tmp) throws Exception {
        assertIdenticalAcrossProcesses(1, tmp);
    }

    @Test
    void twoThreads(@TempDir Path tmp) throws Exception {
        assertIdenticalAcrossProcesses(2, tmp);
    }

    private static void assertIdenticalAcrossProcesses(int threads, Path tmp) throws Exception {
        List<List<String>> outputs = new ArrayList<>();
        for (int process = 0; process < 3; process++) outputs.add(probe(threads, tmp.resolve("probe-" + process + ".log")));
        List<String> first = outputs.get(0);
        assertTrue(first.stream().filter(l -> l.startsWith("loss ")).count() == 63, "expected 63 training steps, got " + first);
        for (int process = 1; process < outputs.size(); process++) {
            List<String> other = outputs.get(process);
            for (int line = 0; line < Math.max(first.size(), other.size()); line++) {
                String a = line < first.size() ? first.get(line) : "<none>";
                String b = line < other.size() ? other.get(line) : "<none>";
                assertEquals(a, b, "process 1 and process " + (process + 1) + " (" + threads + " torch threads) differ at line " + (line + 1));
            }
        }
    }

    /** The probe's stdout lines from a fresh JVM with a small young generation (many collections during the run). */
    private static List<String> probe(int threads, Path log) throws IOException, InterruptedException {
        return ProbeJvm.run(ReproducibilityProbe.class, List.of("-Xmx512m", "-Xmn4m"), PROBE_ARGS, threads, log, 120);
    }
}
