package headroom.tokenizer;

/**
 * The byte audit of DESIGN.md "Bits per byte": the byte lengths of the evaluated tokens must add
 * up to the UTF-8 byte count of the evaluated text. A mismatch is an error, never a warning.
 */
public final class ByteAudit {

    private ByteAudit() {
    }

    /** Bytes carried by {@code ids}: specials carry 0, every other token its byte string. */
    public static long targetBytes(int[] ids, int[] tokenByteLengths) {
        long bytes = 0;
        for (int id : ids) {
            bytes += tokenByteLengths[id];
        }
        return bytes;
    }

    /** Throws {@link ByteAuditException} unless {@code tokenBytes == textBytes}. */
    public static void check(String what, long tokenBytes, long textBytes) {
        if (tokenBytes != textBytes) {
            throw new ByteAuditException("byte audit failed for " + what + ": tokens carry " + tokenBytes
                    + " bytes but the text has " + textBytes + " UTF-8 bytes (difference " + (tokenBytes - textBytes) + ")");
        }
    }
}
