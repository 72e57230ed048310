package headroom.pipelines.spark;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordTableTest {

    record Row(String name, int vocabSize, long bytes, double bpb, boolean valid) {
    }

    @Test
    void csvRoundTripsRecordsWithQuotesCommasAndNaN(@TempDir Path dir) throws Exception {
        List<Row> rows = List.of(new Row("emb=int8,attn=int6", 1024, 15_863_489L, 1.2244, true),
                new Row("say \"hi\"", 257, 0L, Double.NaN, false));
        String csv = RecordTable.csv(rows, Row.class);
        assertTrue(csv.startsWith("name,vocab_size,bytes,bpb,valid\n"), csv);
        Path file = dir.resolve("t.csv");
        Files.writeString(file, csv);
        List<Row> back = RecordTable.readCsv(file, Row.class);
        assertEquals(rows.get(0), back.get(0));
        assertEquals("say \"hi\"", back.get(1).name());
        assertTrue(Double.isNaN(back.get(1).bpb()));
    }

    @Test
    void quotedCellsKeepCommasAndQuotes() {
        assertEquals(List.of("a", "b,c", "d\"e", ""), RecordTable.cells("a,\"b,c\",\"d\"\"e\","));
    }

    @Test
    void aTableFromAnotherVersionNamesTheMissingColumn(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("old.csv");
        Files.writeString(file, "name,vocab_size\nx,1\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> RecordTable.readCsv(file, Row.class));
        assertTrue(e.getMessage().contains("has no column bytes"), e.getMessage());
    }
}
