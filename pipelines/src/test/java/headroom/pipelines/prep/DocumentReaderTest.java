package headroom.pipelines.prep;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DocumentReaderTest {

    private static List<RawDoc> read(byte[] file, InputFormat format, PrepConf.TxtMode mode) {
        return DocumentReader.readAll(new DocumentReader("f", new ByteArrayInputStream(file), format, mode, "text", 1 << 20));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static final InputFormat TXT = new InputFormat(InputFormat.Kind.TXT, InputFormat.Compression.NONE);
    private static final InputFormat JSONL = new InputFormat(InputFormat.Kind.JSONL, InputFormat.Compression.NONE);

    @Test
    void linesKeepEveryByteButTheTerminator() {
        List<RawDoc> docs = read(utf8("a b  \r\nx\ry\n\n  \nlast"), TXT, PrepConf.TxtMode.LINES);
        assertEquals(5, docs.size());
        assertEquals("a b  ", new String(docs.get(0).raw(), StandardCharsets.UTF_8), "CRLF is a terminator, trailing spaces are text");
        assertEquals("x\ry", new String(docs.get(1).raw(), StandardCharsets.UTF_8), "a lone CR is text");
        assertEquals("", new String(docs.get(2).raw(), StandardCharsets.UTF_8));
        assertEquals("  ", new String(docs.get(3).raw(), StandardCharsets.UTF_8));
        assertEquals("last", new String(docs.get(4).raw(), StandardCharsets.UTF_8), "no newline at the end of the file");
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), docs.stream().map(RawDoc::position).toList());
    }

    @Test
    void blankLinesSeparateParagraphs() {
        List<RawDoc> docs = read(utf8("\n\none\ntwo\n\n\nthree\r\n\r\nfour\n"), TXT, PrepConf.TxtMode.BLANK_LINES);
        assertEquals(List.of("one\ntwo", "three", "four"), docs.stream().map(d -> new String(d.raw(), StandardCharsets.UTF_8)).toList());
        assertEquals(List.of(3L, 7L, 9L), docs.stream().map(RawDoc::position).toList(), "a paragraph's position is its first line");
    }

    @Test
    void invalidUtf8SurvivesReadingByteForByte() {
        byte[] bad = {'o', 'k', (byte) 0xc3, '(', '\n', 'x'};
        List<RawDoc> docs = read(bad, TXT, PrepConf.TxtMode.LINES);
        assertArrayEquals(Arrays.copyOf(bad, 4), docs.get(0).raw());
    }

    @Test
    void jsonlRecordsPassOtherFieldsThroughAsMeta() {
        String file = "{\"text\":\"hello\\nworld\",\"id\":\"a1\",\"score\":0.5}\n\n[1,2]\n{\"id\":3}\n{\"text\":\"\\ud800x\"}\nnot json\n";
        List<RawDoc> docs = read(utf8(file), JSONL, PrepConf.TxtMode.LINES);
        assertEquals(5, docs.size());
        assertEquals("hello\nworld", new String(docs.get(0).raw(), StandardCharsets.UTF_8));
        assertEquals("a1", docs.get(0).meta().get("id"));
        assertEquals("0.5", docs.get(0).meta().get("score"));
        assertNull(docs.get(0).problem());
        assertEquals(Quarantine.BAD_JSON, docs.get(1).problem());
        assertEquals(3, docs.get(1).position(), "blank lines still count as lines");
        assertEquals(Quarantine.NO_TEXT_FIELD, docs.get(2).problem());
        assertEquals(Quarantine.INVALID_UTF8, docs.get(3).problem(), "a lone surrogate escape cannot be UTF-8");
        assertEquals(Quarantine.BAD_JSON, docs.get(4).problem());
    }

    @Test
    void corruptGzipEndsTheFileWithOneUnreadableRecordAndKeepsWhatWasRead() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 20_000; i++) text.append("line number ").append(i).append(" with some words ").append(i * 7919 % 1000).append('\n');
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(utf8(text.toString()));
        }
        byte[] cut = Arrays.copyOf(gz.toByteArray(), gz.size() / 2);
        List<RawDoc> docs = read(cut, new InputFormat(InputFormat.Kind.TXT, InputFormat.Compression.GZ), PrepConf.TxtMode.LINES);
        RawDoc last = docs.get(docs.size() - 1);
        assertEquals(Quarantine.UNREADABLE_FILE, last.problem());
        int kept = docs.size() - 1;
        assertTrue(kept > 1000 && kept < 20_000, "documents before the damage are kept: " + kept);
        // one line per record: the message counts what the file yielded and where it stopped
        assertTrue(last.detail().startsWith("reading stopped after " + kept + " records (the last at line " + kept + "): "), last.detail());
        assertEquals(1, docs.stream().filter(d -> d.problem() != null).count());
    }

    @Test
    void anAbsurdLineIsCutAndQuarantinedAsTooLong() {
        byte[] big = new byte[5000];
        Arrays.fill(big, (byte) 'a');
        List<RawDoc> docs = DocumentReader.readAll(new DocumentReader("f", new ByteArrayInputStream(big), TXT, PrepConf.TxtMode.LINES, "text", 1000));
        assertEquals(Quarantine.TOO_LONG, docs.get(0).problem());
        assertEquals(1000, docs.get(0).raw().length);
        assertTrue(docs.get(0).detail().contains("5000 bytes"), docs.get(0).detail());
    }

    @Test
    void formatsAreReadFromTheFileName() {
        assertEquals(new InputFormat(InputFormat.Kind.JSONL, InputFormat.Compression.ZST), InputFormat.of("x/part-1.JSONL.zst").orElseThrow());
        assertEquals(new InputFormat(InputFormat.Kind.TXT, InputFormat.Compression.XZ), InputFormat.of("austen.txt.xz").orElseThrow());
        assertEquals(new InputFormat(InputFormat.Kind.PARQUET, InputFormat.Compression.NONE), InputFormat.of("a.parquet").orElseThrow());
        assertTrue(InputFormat.of("notes.md").isEmpty());
        assertTrue(InputFormat.of("a.parquet.gz").isEmpty());
    }
}
