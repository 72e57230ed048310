package headroom.pipelines;

import org.tukaani.xz.XZInputStream;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The first lines of the bundled demo corpus as a small .txt corpus, for stage tests that need real text. */
public final class DemoSlice {

    private DemoSlice() {
    }

    public static Path repoRoot() {
        return Path.of(System.getProperty("headroom.repo.root", ".."));
    }

    public static List<String> lines(int n) throws IOException {
        List<String> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                new XZInputStream(Files.newInputStream(repoRoot().resolve("data/demo/austen.txt.xz"))), StandardCharsets.UTF_8))) {
            String line;
            while (out.size() < n && (line = r.readLine()) != null) out.add(line);
        }
        return out;
    }

    /** Writes the first {@code n} lines to {@code dir/demo-slice.txt} and returns the file. */
    public static Path write(Path dir, int n) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("demo-slice.txt");
        Files.writeString(file, String.join("\n", lines(n)) + "\n", StandardCharsets.UTF_8);
        return file;
    }

    /** A corpus and a held-out text it never saw, both from the demo slice. */
    public record WithHeldout(Path corpus, Path heldout) {
    }

    /** Lines 0-1499 as {@code dir/in/demo-slice.txt} and lines 1600-1699 as {@code dir/heldout.txt}. */
    public static WithHeldout writeWithHeldout(Path dir) throws IOException {
        List<String> lines = lines(1700);
        Path corpus = dir.resolve("in/demo-slice.txt");
        Path heldout = dir.resolve("heldout.txt");
        Files.createDirectories(corpus.getParent());
        Files.writeString(corpus, String.join("\n", lines.subList(0, 1500)) + "\n", StandardCharsets.UTF_8);
        Files.writeString(heldout, String.join("\n", lines.subList(1600, 1700)) + "\n", StandardCharsets.UTF_8);
        return new WithHeldout(corpus, heldout);
    }
}
