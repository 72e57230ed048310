package headroom.pipelines.prep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdInputStream;
import org.tukaani.xz.XZInputStream;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.zip.GZIPInputStream;

/**
 * Reads the documents of one .txt or .jsonl file (optionally compressed) as {@link RawDoc}s,
 * lazily. A failure mid-file (a corrupt .gz, say) ends that file with one UNREADABLE_FILE
 * record naming where it stopped; the documents read before it are kept.
 */
public final class DocumentReader implements Iterator<RawDoc>, AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String source;
    private final InputFormat format;
    private final PrepConf.TxtMode txtMode;
    private final String textField;
    private final InputStream stream;
    private final LineReader lines;
    private RawDoc nextDoc;
    private boolean finished;
    private long recordsRead;  // records handed out so far, good or quarantined
    private long lastLine;     // the line the last of them starts on

    /**
     * @param keepBytes longest record kept whole; longer ones are cut (and go to quarantine as too long anyway)
     */
    public DocumentReader(String source, InputStream raw, InputFormat format, PrepConf.TxtMode txtMode,
                          String textField, int keepBytes) {
        this.source = source;
        this.format = format;
        this.txtMode = txtMode;
        this.textField = textField;
        InputStream s;
        try {
            s = decompress(new BufferedInputStream(raw, 1 << 16), format.compression());
        } catch (IOException e) {
            s = null;
            nextDoc = RawDoc.bad(source, 0, new byte[0], Quarantine.UNREADABLE_FILE, "cannot open: " + e.getMessage());
            finished = true;
        }
        this.stream = s;
        this.lines = s == null ? null : new LineReader(s, keepBytes);
    }

    static InputStream decompress(InputStream in, InputFormat.Compression c) throws IOException {
        return switch (c) {
            case NONE -> in;
            case GZ -> new GZIPInputStream(in, 1 << 16);
            case ZST -> new ZstdInputStream(in);
            case XZ -> new XZInputStream(in);
        };
    }

    @Override
    public boolean hasNext() {
        if (nextDoc == null && !finished) nextDoc = advance();
        return nextDoc != null;
    }

    @Override
    public RawDoc next() {
        if (!hasNext()) throw new NoSuchElementException();
        RawDoc d = nextDoc;
        nextDoc = null;
        return d;
    }

    /** Decompressed bytes read so far (for throughput). */
    public long bytesRead() {
        return lines == null ? 0 : lines.bytesRead();
    }

    private RawDoc advance() {
        try {
            RawDoc doc = read();
            if (doc != null) {
                recordsRead++;
                lastLine = doc.position();
            }
            return doc;
        } catch (IOException | RuntimeException e) {
            finished = true;
            return RawDoc.bad(source, lastLine, new byte[0], Quarantine.UNREADABLE_FILE, "reading stopped after " + recordsRead
                    + (recordsRead == 1 ? " record" : " records") + (recordsRead > 0 ? " (the last at line " + lastLine + ")" : "") + ": " + e);
        }
    }

    /** The next record of the file, or null at its end. */
    private RawDoc read() throws IOException {
        if (format.kind() == InputFormat.Kind.JSONL) {
            LineReader.Line line;
            do {
                line = lines.next();
                if (line == null) return end();
            } while (line.length() == 0); // blank lines between JSON records are layout, not records
            return jsonRecord(line);
        }
        if (txtMode == PrepConf.TxtMode.LINES) {
            LineReader.Line line = lines.next();
            if (line == null) return end();
            if (line.cut()) return tooLong(line);
            return RawDoc.ok(source, line.number(), line.bytes(), Map.of());
        }
        return paragraph();
    }

    /** Blank-line mode: consecutive non-empty lines form a document, joined by "\n". */
    private RawDoc paragraph() throws IOException {
        LineReader.Line line = lines.next();
        while (line != null && line.length() == 0) line = lines.next();
        if (line == null) return end();
        long start = line.number();
        ByteArrayOutputStream doc = new ByteArrayOutputStream();
        doc.writeBytes(line.bytes());
        while ((line = lines.next()) != null && line.length() > 0) {
            doc.write('\n');
            doc.writeBytes(line.bytes());
        }
        return RawDoc.ok(source, start, doc.toByteArray(), Map.of());
    }

    private RawDoc jsonRecord(LineReader.Line line) {
        if (line.cut()) return tooLong(line);
        byte[] raw = line.bytes();
        if (Utf8.firstInvalid(raw) >= 0) {
            return RawDoc.bad(source, line.number(), raw, Quarantine.INVALID_UTF8, "invalid UTF-8 in the JSON line");
        }
        JsonNode node;
        try {
            node = JSON.readTree(raw);
        } catch (IOException e) {
            return RawDoc.bad(source, line.number(), raw, Quarantine.BAD_JSON, e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage());
        }
        if (node == null || !node.isObject()) {
            return RawDoc.bad(source, line.number(), raw, Quarantine.BAD_JSON, "not a JSON object");
        }
        JsonNode text = node.get(textField);
        if (text == null || !text.isTextual()) {
            return RawDoc.bad(source, line.number(), raw, Quarantine.NO_TEXT_FIELD, "no string field \"" + textField + "\"");
        }
        String value = text.textValue();
        if (Utf8.hasLoneSurrogate(value)) {
            return RawDoc.bad(source, line.number(), raw, Quarantine.INVALID_UTF8, "the text holds a lone surrogate (\\ud800-\\udfff escape)");
        }
        Map<String, String> meta = new LinkedHashMap<>();
        node.fields().forEachRemaining(f -> {
            if (!f.getKey().equals(textField)) meta.put(f.getKey(), f.getValue().isTextual() ? f.getValue().textValue() : f.getValue().toString());
        });
        return RawDoc.ok(source, line.number(), value.getBytes(java.nio.charset.StandardCharsets.UTF_8), meta);
    }

    private RawDoc tooLong(LineReader.Line line) {
        return RawDoc.bad(source, line.number(), line.bytes(), Quarantine.TOO_LONG,
                "the record is " + line.length() + " bytes; quarantine keeps its first " + line.bytes().length);
    }

    private RawDoc end() {
        finished = true;
        return null;
    }

    @Override
    public void close() {
        if (stream == null) return;
        try {
            stream.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a whole file into a list: for tests and small inputs. */
    public static List<RawDoc> readAll(DocumentReader reader) {
        List<RawDoc> out = new ArrayList<>();
        try (reader) {
            reader.forEachRemaining(out::add);
        }
        return out;
    }
}
