package headroom.artifact;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Little-endian reads over a byte range that never read past its end: every read names the field,
 * so a short or hostile input fails with "need 8 bytes for tensor 'wq' offset at 120, only 3 left".
 */
final class ByteCursor {

    private final ByteBuffer buffer;
    private final String what;

    /** Reads bytes [from, to) of data; {@code what} names the structure in messages ("container header"). */
    ByteCursor(byte[] data, int from, int to, String what) {
        this.buffer = ByteBuffer.wrap(data, from, to - from).slice().order(ByteOrder.LITTLE_ENDIAN);
        this.what = what;
    }

    int remaining() {
        return buffer.remaining();
    }

    int position() {
        return buffer.position();
    }

    int u8(String field) throws ArtifactFormatException {
        need(1, field);
        return buffer.get() & 0xFF;
    }

    int u16(String field) throws ArtifactFormatException {
        need(2, field);
        return buffer.getShort() & 0xFFFF;
    }

    long u32(String field) throws ArtifactFormatException {
        need(4, field);
        return buffer.getInt() & 0xFFFFFFFFL;
    }

    /** An unsigned 64-bit value that must be at most {@code max}. */
    long u64(String field, long max) throws ArtifactFormatException {
        need(8, field);
        long value = buffer.getLong();
        if (value < 0 || value > max) {
            throw new ArtifactFormatException(what + " field " + field + " is " + Long.toUnsignedString(value) + ", beyond the limit " + max,
                    ArtifactFormatException.REWRITE);
        }
        return value;
    }

    /** A u32 count of items that each take at least {@code minBytesEach} of what remains: checked before anything is allocated. */
    int count(String field, int minBytesEach) throws ArtifactFormatException {
        long count = u32(field);
        if (count * minBytesEach > remaining()) {
            throw new ArtifactFormatException(what + " declares " + count + " " + field + " but only " + remaining()
                    + " bytes remain (each takes at least " + minBytesEach + ")", ArtifactFormatException.REWRITE);
        }
        return (int) count;
    }

    byte[] bytes(long length, String field) throws ArtifactFormatException {
        need(length, field);
        byte[] out = new byte[(int) length];
        buffer.get(out);
        return out;
    }

    String utf8(long length, String field) throws ArtifactFormatException {
        byte[] raw = bytes(length, field);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            throw new ArtifactFormatException(what + " field " + field + " is not valid UTF-8", ArtifactFormatException.REWRITE, e);
        }
    }

    private void need(long length, String field) throws ArtifactFormatException {
        if (length > buffer.remaining()) {
            throw new ArtifactFormatException("truncated " + what + ": need " + length + " bytes for " + field + " at offset " + buffer.position()
                    + ", only " + buffer.remaining() + " left", ArtifactFormatException.REWRITE);
        }
    }
}
