package headroom.pipelines.notebooks;

import headroom.pipelines.DemoSlice;
import headroom.pipelines.SparkTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Zeppelin notes parse as Zeppelin 0.12.1 notes and their code runs through the public API. */
class NotebooksTest extends SparkTestBase {

    static Path notebooks() {
        return NoteRunner.notebooks();
    }

    @Test
    void everyNoteIsCommittedCleanAndLoadsTheJarFirst() throws Exception {
        List<Path> notes;
        try (Stream<Path> s = Files.list(notebooks())) {
            notes = s.filter(p -> p.toString().endsWith(".zpln")).sorted().toList();
        }
        assertEquals(2, notes.size(), "the two notes: explore a sweep, compare candidates");
        for (Path file : notes) {
            ZeppelinNote note = ZeppelinNote.read(file);
            assertEquals("0.12.1", note.version(), file.toString());
            ZeppelinNote.Paragraph first = note.paragraphs().get(0);
            assertEquals("%spark.conf", first.interpreter(), "the jar is loaded before any %spark paragraph");
            assertTrue(first.code().lines().anyMatch(l -> l.startsWith("spark.jars ")), first.code());
            for (ZeppelinNote.Paragraph p : note.paragraphs()) {
                assertEquals("READY", p.status(), file + ": " + p.title());
                assertFalse(p.hasResults(), file + ": results are stripped");
                assertTrue(List.of("%spark", "%spark.sql", "%spark.conf", "%md").contains(p.interpreter()), p.interpreter());
            }
        }
    }

    @Test
    void theSweepNoteRunsOnTheDemoCorpus(@TempDir Path tmp) throws Exception {
        Path corpus = DemoSlice.write(tmp, 1500);
        Path runDir = tmp.resolve("run");
        int sql = NoteRunner.run(spark(), "headroom-explore-sweep.zpln", java.util.Map.of(
                "/opt/headroom/data/demo/austen.txt.xz", corpus.toString(), "/tmp/headroom-zeppelin/sweep", runDir.toString()));
        assertEquals(3, sql);
        assertTrue(Files.exists(runDir.resolve("report/sweep.html")), "the note ran the real sweep");
        assertEquals(5, spark().table("sweep_metrics").count(), "five vocabulary sizes");
    }
}
