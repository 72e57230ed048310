package headroom.pipelines.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CliArgsTest {

    @Test
    void commonOptionsOverridesAndCommandOptions() {
        CliArgs a = CliArgs.parse(new String[]{"train", "--conf=conf/demo.conf", "--run-dir", "runs/x", "--force",
                "--candidate", "v1024-tied", "--resume", "prep.split.seed=7"});
        assertEquals("train", a.command());
        assertEquals(Path.of("conf/demo.conf"), a.conf());
        assertEquals(Path.of("runs/x"), a.runDir());
        assertTrue(a.force());
        assertEquals(List.of("prep.split.seed=7"), a.overrides());
        assertEquals(Map.of("candidate", "v1024-tied", "resume", "true"), a.options());
    }

    @Test
    void mistakesAreUsageErrors() {
        assertThrows(CliArgs.UsageException.class, () -> CliArgs.parse(new String[]{"prep", "--conf"}));
        assertThrows(CliArgs.UsageException.class, () -> CliArgs.parse(new String[]{"prep", "stray"}));
    }

    @Test
    void unknownCommandsAndOptionsExitWithTwo() {
        assertEquals(2, Main.run(new String[]{"frobnicate", "--run-dir", "x"}));
        assertEquals(2, Main.run(new String[]{"prep", "--run-dir", "x", "--bogus"}));
        assertEquals(2, Main.run(new String[]{"prep"}), "--run-dir is required");
        assertEquals(0, Main.run(new String[]{"prep", "--help"}));
    }
}
