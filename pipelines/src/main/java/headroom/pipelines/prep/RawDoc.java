package headroom.pipelines.prep;

import java.util.Map;

/**
 * One record as read from an input file, before any check: the raw bytes as they stood in the
 * file, where they came from, and the other fields of its record (JSON / Parquet) as strings.
 * {@code problem} is set when the reader itself could not produce a document here.
 */
public record RawDoc(String source, long position, byte[] raw, Map<String, String> meta, Quarantine problem, String detail) {

    public static RawDoc ok(String source, long position, byte[] raw, Map<String, String> meta) {
        return new RawDoc(source, position, raw, meta, null, null);
    }

    public static RawDoc bad(String source, long position, byte[] raw, Quarantine problem, String detail) {
        return new RawDoc(source, position, raw, Map.of(), problem, detail);
    }
}
