package headroom.pipelines.run;

import headroom.pipelines.prep.PrepStage;
import headroom.pipelines.score.ScoreStage;
import headroom.pipelines.sweep.SweepStage;
import headroom.pipelines.tokenize.TokenizeStage;
import headroom.pipelines.train.TrainStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class CodeFingerprintTest {

    static final String SWEEP_REPORT = "headroom/pipelines/sweep/SweepReport";

    /** {@code bytes} with the first occurrence of {@code from} replaced by {@code to} (same length, so the class file stays valid). */
    public static byte[] replace(byte[] bytes, String from, String to) {
        byte[] a = from.getBytes(StandardCharsets.UTF_8), b = to.getBytes(StandardCharsets.UTF_8);
        assertEquals(a.length, b.length);
        outer:
        for (int i = 0; i + a.length <= bytes.length; i++) {
            for (int k = 0; k < a.length; k++) if (bytes[i + k] != a[k]) continue outer;
            byte[] out = bytes.clone();
            System.arraycopy(b, 0, out, i, b.length);
            return out;
        }
        throw new AssertionError("'" + from + "' is not in the class file");
    }

    @Test
    void eachStageReachesItsOwnCodeAndTheModulesItUsesButNotTheOtherStages() {
        Set<String> sweep = CodeFingerprint.reachedBy(SweepStage.class);
        assertTrue(sweep.contains(SWEEP_REPORT), "its report");
        assertTrue(sweep.contains("headroom/tokenizer/BpeTrainer"), "the tokenizer module: " + sweep);
        assertTrue(sweep.contains("headroom/pipelines/run/StageSpec"));
        assertFalse(sweep.contains("headroom/pipelines/score/ScoreStage"), "a later stage is not the sweep's code");
        Set<String> prep = CodeFingerprint.reachedBy(PrepStage.class);
        assertFalse(prep.contains(SWEEP_REPORT), "prep does not reach the sweep's report: " + prep);
        assertTrue(CodeFingerprint.reachedBy(TrainStage.class).contains("headroom/model/train/Trainer"));
        assertTrue(CodeFingerprint.reachedBy(ScoreStage.class).contains("headroom/artifact/ArtifactWriter"));
        assertEquals(5, Set.of(CodeFingerprint.of(PrepStage.class), CodeFingerprint.of(SweepStage.class), CodeFingerprint.of(TokenizeStage.class),
                CodeFingerprint.of(TrainStage.class), CodeFingerprint.of(ScoreStage.class)).size(), "five stages, five fingerprints");
        assertTrue(CodeFingerprint.of(PrepStage.class).matches("[0-9a-f]{64}"));
    }

    @Test
    void changingAClassChangesTheFingerprintOfEveryStageThatReachesItOnly() throws Exception {
        String prep = CodeFingerprint.of(PrepStage.class), sweep = CodeFingerprint.of(SweepStage.class);
        try (AutoCloseable changed = CodeFingerprint.simulate((name, bytes) ->
                name.equals(SWEEP_REPORT) ? replace(bytes, "vocabulary sweep", "Vocabulary sweep") : bytes)) {
            assertNotEquals(sweep, CodeFingerprint.of(SweepStage.class), "the sweep's report changed");
            assertEquals(prep, CodeFingerprint.of(PrepStage.class), "prep does not use it");
        }
        assertEquals(sweep, CodeFingerprint.of(SweepStage.class), "back to the real class files");
    }

    @Test
    void movingCodeOrEditingACommentIsNotACodeChange(@TempDir Path tmp) throws Exception {
        String code = "package headroom.probe;\npublic class Probe {\n    public static int twice(int x) {\n        return 2 * x;\n    }\n}\n";
        String commented = "package headroom.probe;\n// a comment moves every line down\n\npublic class Probe {\n"
                + "    /** Twice x. */\n    public static int twice(int x) {\n        return 2 * x; // why: ...\n    }\n}\n";
        String changed = code.replace("2 * x", "3 * x");
        String original = CodeFingerprint.of(compile(tmp.resolve("a"), code));
        assertEquals(original, CodeFingerprint.of(compile(tmp.resolve("b"), commented)), "line numbers differ, the code does not");
        assertNotEquals(original, CodeFingerprint.of(compile(tmp.resolve("c"), changed)));
    }

    /** Compiles one class with debug information (as Maven does) and loads it from its own class loader. */
    private static Class<?> compile(Path dir, String source) throws Exception {
        Path file = Files.createDirectories(dir.resolve("headroom/probe")).resolve("Probe.java");
        Files.writeString(file, source);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, "-g", "-d", dir.toString(), file.toString()));
        URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null);
        return loader.loadClass("headroom.probe.Probe");
    }
}
