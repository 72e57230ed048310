package headroom.pipelines.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {

    @Test
    void aFailedCommandPrintsItsMessageAndTheLogFileThatHoldsTheStackTrace(@TempDir Path run) throws IOException {
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int code;
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            // a run directory whose manifest is damaged: prep fails as its stage starts
            Path corpus = Files.writeString(run.resolve("corpus.txt"), "one document\n");
            Files.writeString(run.resolve("manifest.json"), "{ not json");
            code = Main.run(new String[] {"prep", "--run-dir", run.toString(), "headroom.prep.inputs=[\"" + corpus + "\"]",
                    "headroom.spark.conf.\"spark.ui.enabled\"=false"});
        } finally {
            System.setErr(stderr);
        }
        String console = captured.toString(StandardCharsets.UTF_8);
        assertEquals(1, code, console);
        List<Path> logs = logs(run);
        assertEquals(1, logs.size(), "one log per run: " + logs);
        Path log = logs.get(0);
        assertTrue(log.getFileName().toString().matches("\\d{8}T\\d{6}Z-prep\\.log"), log.toString());
        assertTrue(console.contains("headroom prep failed: the run directory's " + run.resolve("manifest.json") + " cannot be read"), console);
        assertTrue(console.contains("(the full log, with the stack trace, is in " + log + ";"), console);
        assertFalse(console.contains("\tat headroom."), "the console shows the message, not the trace:\n" + console);
        String text = Files.readString(log);
        assertTrue(text.contains("headroom prep failed"), text);
        assertTrue(text.contains("\tat headroom.pipelines."), "the file holds the stack trace:\n" + text);
    }

    @Test
    void theRunLogGetsWhatTheConsoleGetsAndStopsWhenClosed(@TempDir Path run) throws IOException {
        Path file;
        try (RunLog log = RunLog.start(run, "prep")) {
            file = log.file().orElseThrow();
            LoggerFactory.getLogger("headroom.pipelines.prep.PrepStage").warn("12 records quarantined");
            log.failure("prep failed", new IllegalStateException("bad input"));
        }
        LoggerFactory.getLogger("headroom.pipelines.prep.PrepStage").warn("after the run");
        String text = Files.readString(file);
        assertTrue(text.contains("WARN  [main] headroom.pipelines.prep.PrepStage: 12 records quarantined"), text);
        assertTrue(text.contains("java.lang.IllegalStateException: bad input"), text);
        assertFalse(text.contains("after the run"), text);
    }

    private static List<Path> logs(Path run) throws IOException {
        try (Stream<Path> files = Files.list(run.resolve(RunLog.DIR))) {
            return files.toList();
        }
    }
}
