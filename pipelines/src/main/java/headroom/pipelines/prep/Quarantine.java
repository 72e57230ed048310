package headroom.pipelines.prep;

import headroom.pipelines.conf.ConfReader;

/** Why a record did not make it into the corpus. Every quarantined record carries one. */
public enum Quarantine {
    /** The file could not be read from this point on (corrupt or truncated compression, I/O error). */
    UNREADABLE_FILE,
    /** The bytes are not valid UTF-8 (or a JSON string holds a lone surrogate). */
    INVALID_UTF8,
    /** A .jsonl line that is not a JSON object. */
    BAD_JSON,
    /** A .jsonl/.parquet record without a string in the text field. */
    NO_TEXT_FIELD,
    /** Empty or whitespace-only text. */
    EMPTY,
    /** Longer than max-doc-bytes. */
    TOO_LONG;

    public String label() {
        return ConfReader.confName(this);
    }
}
