package headroom.pipelines.prep;

import headroom.core.io.Sha256;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.HexFormat;

/**
 * Decides what becomes of one {@link RawDoc}: a corpus document (with its content id and split)
 * or a quarantined record (with its reason). Pure: the same record always gets the same verdict.
 */
public final class DocumentValidator implements Serializable {

    private final int maxDocBytes;
    private final PrepConf.Normalization normalization;
    private final SplitRule split;

    public DocumentValidator(int maxDocBytes, PrepConf.Normalization normalization, SplitRule split) {
        this.maxDocBytes = maxDocBytes;
        this.normalization = normalization;
        this.split = split;
    }

    /** The verdict: either {@code reason} is null and the document fields are set, or the reverse. */
    public record Verdict(String docId, String text, int bytes, SplitRule.Split split, Quarantine reason, String detail) {
        public boolean accepted() {
            return reason == null;
        }
    }

    public Verdict judge(RawDoc doc) {
        if (doc.problem() != null) return reject(doc.problem(), doc.detail());
        byte[] raw = doc.raw();
        if (raw.length > maxDocBytes) {
            return reject(Quarantine.TOO_LONG, raw.length + " bytes, the limit (max-doc-bytes) is " + maxDocBytes);
        }
        int bad = Utf8.firstInvalid(raw);
        if (bad >= 0) {
            return reject(Quarantine.INVALID_UTF8, String.format("invalid UTF-8 at byte %d (0x%02x)", bad, raw[bad] & 0xff));
        }
        String text = new String(raw, StandardCharsets.UTF_8);
        if (normalization != PrepConf.Normalization.NONE) {
            text = Normalizer.normalize(text, normalization == PrepConf.Normalization.NFC ? Normalizer.Form.NFC : Normalizer.Form.NFKC);
            raw = text.getBytes(StandardCharsets.UTF_8);
            if (raw.length > maxDocBytes) {
                return reject(Quarantine.TOO_LONG, raw.length + " bytes after normalization, the limit is " + maxDocBytes);
            }
        }
        if (text.strip().isEmpty()) {
            return reject(Quarantine.EMPTY, raw.length == 0 ? "empty" : "whitespace only (" + raw.length + " bytes)");
        }
        byte[] hash = Sha256.digest(raw);
        return new Verdict(HexFormat.of().formatHex(hash, 0, 16), text, raw.length, split.assign(hash), null, null);
    }

    private static Verdict reject(Quarantine reason, String detail) {
        return new Verdict(null, null, 0, null, reason, detail);
    }
}
