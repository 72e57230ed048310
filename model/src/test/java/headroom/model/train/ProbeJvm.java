package headroom.model.train;

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
 * Runs a bench probe's main in a fresh JVM with the test's own classpath and flags, at a torch thread count, and
 * returns its stdout lines: the reproducibility tests compare whole processes, since a drift between JVMs (native
 * buffers, thread pools) is what they guard against.
 */
final class ProbeJvm {

    private ProbeJvm() {
    }

    static List<String> run(Class<?> probe, List<String> heapFlags, List<String> args, int threads, Path log, int timeoutSeconds)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-opens") || arg.startsWith("-D") || arg.startsWith("-XX:+IgnoreUnrecognized")) cmd.add(arg);
        }
        cmd.addAll(heapFlags);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), probe.getName()));
        cmd.addAll(args);
        cmd.addAll(List.of("--threads", Integer.toString(threads)));
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectError(log.toFile());
        builder.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
        Process p = builder.start();
        List<String> lines = new String(p.getInputStream().readAllBytes()).lines().toList();
        assertTrue(p.waitFor(timeoutSeconds, TimeUnit.SECONDS), probe.getSimpleName() + " did not finish in " + timeoutSeconds + " s");
        assertEquals(0, p.exitValue(), () -> probe.getSimpleName() + " failed; its log:\n" + readQuietly(log));
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
