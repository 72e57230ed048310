package headroom.model.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
 * Issue 25, item 2: the thread count is not part of a result. The same short training on text-like documents
 * (uneven lengths: evaluation ends on a short window and on a batch that is not full) runs in a fresh JVM at 1 and
 * at 2 torch threads; every step's loss, the weights' sha256, val bits per byte, an evaluation at another batch
 * size and the Fisher diagonal must be equal to the bit. The shape is the demo's larger vocabulary (V 2048, head
 * size 16, T 85) at d 256, where the embedding's gradient is large enough for torch to sum it in per-thread chunks:
 * before the clip's norm was taken in Java, the weights parted at the first clipped step.
 */
class ThreadCountDeterminismTest {

    private static final List<String> PROBE_ARGS = List.of("--vocab", "2048", "--d", "256", "--unique", "1", "--loops", "2",
            "--head-size", "16", "--kv-group", "1", "--seq", "85", "--batch", "16", "--steps", "12", "--warmup", "3");

    @Test
    void oneAndTwoThreadsGiveTheSameBits(@TempDir Path tmp) throws Exception {
        List<String> one = probe(1, tmp.resolve("one.log"));
        List<String> two = probe(2, tmp.resolve("two.log"));
        assertEquals(16, one.stream().filter(l -> l.startsWith("row ")).count(), "expected 15 steps and a final evaluation, got " + one);
        assertTrue(one.stream().anyMatch(l -> l.startsWith("fisher ")), "the probe printed no Fisher hash: " + one);
        for (int line = 0; line < Math.max(one.size(), two.size()); line++) {
            String a = line < one.size() ? one.get(line) : "<none>";
            String b = line < two.size() ? two.get(line) : "<none>";
            assertEquals(a, b, "1 and 2 torch threads differ at line " + (line + 1));
        }
    }

    private static List<String> probe(int threads, Path log) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-opens") || arg.startsWith("-D") || arg.startsWith("-XX:+IgnoreUnrecognized")) cmd.add(arg);
        }
        cmd.addAll(List.of("-Xmx1g", "-cp", System.getProperty("java.class.path"), "headroom.model.bench.ThreadCountProbe"));
        cmd.addAll(PROBE_ARGS);
        cmd.addAll(List.of("--threads", Integer.toString(threads)));
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectError(log.toFile());
        builder.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
        Process p = builder.start();
        List<String> lines = new String(p.getInputStream().readAllBytes()).lines().toList();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "probe did not finish in 300 s");
        assertEquals(0, p.exitValue(), () -> "probe failed; its log: " + log);
        return lines;
    }
}
