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
        assertEquals(List.of(new RecordTable.CsvRecord(1, List.of("a", "b,c", "d\"e", ""))), RecordTable.records("a,\"b,c\",\"d\"\"e\","));
    }

    @Test
    void aCellHoldingANewlineAndAQuoteRoundTrips(@TempDir Path dir) throws Exception {
        // e.g. a hypothesis verdict's reason written over two lines, quoting a figure
        List<Row> rows = List.of(new Row("line one\nsaid \"1.23 bpb\", then\r\nline three", 512, 7L, 0.5, true),
                new Row("after", 1024, 8L, 0.25, false));
        Path file = dir.resolve("t.csv");
        Files.writeString(file, RecordTable.csv(rows, Row.class));
        assertEquals(rows, RecordTable.readCsv(file, Row.class));
    }

    @Test
    void recordsAreCutAtUnquotedLineBreaksOnlyAndKnowTheirStartingLine() {
        assertEquals(List.of(new RecordTable.CsvRecord(1, List.of("h1", "h2")),
                        new RecordTable.CsvRecord(2, List.of("a\nb", "c")),
                        new RecordTable.CsvRecord(5, List.of("d", ""))),
                RecordTable.records("h1,h2\r\n\"a\nb\",c\n\nd,\n"));
    }

    @Test
    void anUnclosedQuoteNamesTheFileAndTheLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("cut.csv");
        Files.writeString(file, "name,vocab_size,bytes,bpb,valid\n\"cut off,1,2,0.5,true\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> RecordTable.readCsv(file, Row.class));
        assertEquals(file + ": the quoted cell opened on line 2 never closes", e.getMessage());
    }

    @Test
    void aTableFromAnotherVersionNamesTheMissingColumn(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("old.csv");
        Files.writeString(file, "name,vocab_size\nx,1\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> RecordTable.readCsv(file, Row.class));
        assertTrue(e.getMessage().contains("has no column bytes"), e.getMessage());
    }
}
