package headroom.pipelines.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DirLockTest {

    @Test
    void aSecondHolderIsTurnedAwayNamingTheFirstAndGetsTheLockOnceItIsReleased(@TempDir Path run) {
        try (DirLock first = DirLock.acquire(run, DirLock.RUN_DIR, "run directory", "headroom sweep --run-dir " + run)) {
            DirLock.HeldException e = assertThrows(DirLock.HeldException.class,
                    () -> DirLock.acquire(run, DirLock.RUN_DIR, "run directory", "headroom score --run-dir " + run));
            assertTrue(e.getMessage().startsWith("the run directory " + run + " is in use by another headroom process (pid "
                    + ProcessHandle.current().pid() + " on "), e.getMessage());
            assertTrue(e.getMessage().contains(", started 20"), e.getMessage());
            assertTrue(e.getMessage().contains(": headroom sweep --run-dir " + run + ")"), e.getMessage());
        }
        DirLock.acquire(run, DirLock.RUN_DIR, "run directory", "headroom score").close();
    }

    @Test
    void anotherProcessHoldingTheRunDirectoryIsNamedAndTheCliExitsWith4(@TempDir Path run) throws Exception {
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Holder.class.getName(), run.toString())
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("held", out.readLine(), "the child process took the lock");
            DirLock.HeldException e = assertThrows(DirLock.HeldException.class,
                    () -> DirLock.acquire(run, DirLock.RUN_DIR, "run directory", "headroom prep"));
            assertTrue(e.getMessage().contains("(pid " + holder.pid() + " on "), e.getMessage());
            assertTrue(e.getMessage().contains(": headroom run --run-dir " + run + ")"), e.getMessage());
            // the CLI answers before it starts Spark
            assertEquals(4, headroom.pipelines.cli.MainAccess.run("prep", "--run-dir", run.toString()));
        } finally {
            holder.getOutputStream().close(); // the holder exits when its stdin closes
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
        }
        // the OS dropped the lock with the process
        DirLock.acquire(run, DirLock.RUN_DIR, "run directory", "headroom prep").close();
    }

    /** A second JVM that takes the run directory's lock, says "held", and keeps it until its stdin closes. */
    public static final class Holder {
        public static void main(String[] args) throws IOException {
            Path run = Path.of(args[0]);
            try (DirLock lock = DirLock.acquire(run, DirLock.RUN_DIR, "run directory", "headroom run --run-dir " + run)) {
                System.out.println("held");
                System.out.flush();
                while (System.in.read() >= 0) {
                    // wait
                }
            }
        }
    }
}
