package headroom.model.train;

import headroom.model.bench.ThreadCountProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

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
        return ProbeJvm.run(ThreadCountProbe.class, List.of("-Xmx1g"), PROBE_ARGS, threads, log, 300);
    }
}
