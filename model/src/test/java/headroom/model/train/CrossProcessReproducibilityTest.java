package headroom.model.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

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

    /** The probe's stdout lines from a fresh JVM with the test's own classpath and flags. */
    private static List<String> probe(int threads, Path log) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-opens") || arg.startsWith("-D") || arg.startsWith("-XX:+IgnoreUnrecognized")) cmd.add(arg);
        }
        cmd.addAll(List.of("-Xmx512m", "-Xmn4m", "-cp", System.getProperty("java.class.path"),
                "headroom.model.bench.ReproducibilityProbe"));
        cmd.addAll(PROBE_ARGS);
        cmd.addAll(List.of("--threads", Integer.toString(threads)));
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectError(log.toFile());
        builder.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
        Process p = builder.start();
        List<String> lines = new String(p.getInputStream().readAllBytes()).lines().toList();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "probe did not finish in 120 s");
        assertEquals(0, p.exitValue(), () -> "probe failed; its log:" + File.separator + readQuietly(log));
        return lines;
    }

    private static String readQuietly(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
