package headroom.core;

import headroom.core.TokenStream;

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

    /**
     * Bytes carried by every target of {@code stream}: each position after the first, the next
     * document's BOS included (0 bytes). An id without a byte length is an error naming it.
     */
    public static long targetBytes(TokenStream stream, int[] tokenByteLengths) {
        long bytes = 0;
        for (long pos = 1; pos < stream.size(); pos++) {
            int id = stream.token(pos);
            if (id >= tokenByteLengths.length) {
                throw new IllegalArgumentException("token id " + id + " at position " + pos + " has no byte length: tokenByteLengths has "
                        + tokenByteLengths.length + " entries");
            }
            bytes += tokenByteLengths[id];
        }
        return bytes;
    }

    /** The bits-per-byte denominator of {@code stream}: its targets' bytes, once they match its documents' text bytes. */
    public static long auditedTargetBytes(String what, TokenStream stream, int[] tokenByteLengths) {
        long bytes = targetBytes(stream, tokenByteLengths);
        check(what, bytes, stream.textBytes());
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
