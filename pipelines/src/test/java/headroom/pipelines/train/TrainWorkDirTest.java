package headroom.pipelines.train;

import headroom.pipelines.run.RunLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainWorkDirTest {

    @TempDir
    Path run;

    /** A checkpoint at step 17 as the trainer lays it out. */
    private static void checkpoint(TrainWorkDir work) throws IOException {
        Path cp = Files.createDirectories(work.dir().resolve("checkpoints/step-00000017"));
        Files.writeString(cp.resolve("state.json"), "{\"state\": {\"step\": 17}}");
        Files.writeString(work.dir().resolve("checkpoints/latest"), "step-00000017");
    }

    @Test
    void aFreshRunOwnsAnEmptyFolder() throws IOException {
        TrainWorkDir work = new TrainWorkDir(new RunLayout(run).trainWork("v512-tied"));
        assertEquals(run.resolve(".work/train/v512-tied"), work.dir());
        assertEquals(OptionalLong.empty(), work.prepare("fp-a", false, false));
        assertEquals("fp-a", Files.readString(work.dir().resolve(TrainWorkDir.FINGERPRINT)));
        assertFalse(work.hasCheckpointOf("fp-a"));
    }

    @Test
    void theSameRunResumesItsCheckpointUnlessForced() throws IOException {
        TrainWorkDir work = new TrainWorkDir(new RunLayout(run).trainWork("v512-tied"));
        work.prepare("fp-a", false, false);
        checkpoint(work);
        assertTrue(work.hasCheckpointOf("fp-a"));
        assertEquals(OptionalLong.of(17), work.prepare("fp-a", false, false));
        assertEquals(OptionalLong.of(17), work.prepare("fp-a", true, true), "--resume wins over --force");
        assertEquals(OptionalLong.empty(), work.prepare("fp-a", false, true));
        assertFalse(Files.exists(work.dir().resolve("checkpoints")), "a forced fresh run drops the old checkpoints");
    }

    @Test
    void anotherRunsCheckpointIsNeverResumed() throws IOException {
        TrainWorkDir work = new TrainWorkDir(new RunLayout(run).trainWork("v512-tied"));
        work.prepare("fp-a", false, false);
        checkpoint(work);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> work.prepare("fp-b", true, false));
        assertTrue(e.getMessage().contains("another conf, code or input"), e.getMessage());
        assertEquals(OptionalLong.empty(), work.prepare("fp-b", false, false));
        assertFalse(Files.exists(work.dir().resolve("checkpoints")));
        assertEquals("fp-b", Files.readString(work.dir().resolve(TrainWorkDir.FINGERPRINT)));
    }
}
