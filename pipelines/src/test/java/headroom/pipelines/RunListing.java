package headroom.pipelines;

import headroom.pipelines.run.Manifest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What a run directory holds, by name: every file and folder (Spark's part files, whose names carry a random id, as
 * {@code part-*}; checksum files left out) and every stage of its manifest. Compared with a listing recorded from the
 * code as it was, it shows that the paths and names a run writes are unchanged, so an earlier run is still found.
 */
public final class RunListing {

    private RunListing() {
    }

    public static List<String> of(Path runDir) throws IOException {
        TreeSet<String> lines = new TreeSet<>();
        try (Stream<Path> files = Files.walk(runDir)) {
            for (Path p : files.toList()) {
                if (p.equals(runDir) || p.getFileName().toString().endsWith(".crc")) continue;
                String name = runDir.relativize(p).toString().replaceAll("part-\\d{5}-[0-9a-f-]{36}[.-]c\\d{3}(\\.snappy)?\\.parquet$", "part-*.parquet");
                lines.add((Files.isDirectory(p) ? "dir  " : "file ") + name);
            }
        }
        Manifest.load(runDir).stages().keySet().forEach(stage -> lines.add("stage " + stage));
        return new ArrayList<>(lines);
    }

    /**
     * Asserts that the listing equals the resource {@code /layout/<name>.txt}; the actual listing is written to
     * {@code target/layout/<name>.txt} either way, which is how the resource was made (from the code before a change).
     */
    public static void assertUnchanged(String name, List<String> listing) throws IOException {
        Path actual = Path.of("target", "layout", name + ".txt");
        Files.createDirectories(actual.getParent());
        Files.write(actual, listing, StandardCharsets.UTF_8);
        try (var in = RunListing.class.getResourceAsStream("/layout/" + name + ".txt")) {
            if (in == null) throw new AssertionError("no recorded listing /layout/" + name + ".txt; this run's is in " + actual.toAbsolutePath());
            List<String> recorded = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            assertEquals(String.join("\n", recorded), String.join("\n", listing),
                    "the run directory's paths and names differ from the recorded ones (this run's listing: " + actual.toAbsolutePath() + ")");
        }
    }
}
