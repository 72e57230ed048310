package headroom.pipelines.prep;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Splits a byte stream into lines on {@code \n} without decoding, so invalid UTF-8 survives to
 * be quarantined byte for byte. A {@code \r} before the {@code \n} belongs to the terminator;
 * a lone {@code \r} is text. Lines longer than {@code keepBytes} are cut to that many bytes
 * (their full length is still reported), so one absurd line cannot exhaust memory.
 */
final class LineReader {

    private final InputStream in;
    private final int keepBytes;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int end;
    private long lineNumber;
    private long bytesRead;

    LineReader(InputStream in, int keepBytes) {
        this.in = in;
        this.keepBytes = keepBytes;
    }

    /** A line without its terminator; {@code length} is its true length, {@code bytes} may be cut. */
    record Line(long number, byte[] bytes, long length) {
        boolean cut() {
            return bytes.length < length;
        }
    }

    /** The next line, or null at the end of the stream. */
    Line next() throws IOException {
        ByteArrayOutputStream line = null;
        long length = 0;
        while (true) {
            if (pos == end) {
                end = in.read(buf, 0, buf.length);
                pos = 0;
                if (end <= 0) {
                    end = 0;
                    if (line == null && length == 0) return null;
                    return finish(line, length, false);
                }
                bytesRead += end;
            }
            int start = pos;
            while (pos < end && buf[pos] != '\n') pos++;
            int n = pos - start;
            if (line == null) line = new ByteArrayOutputStream(Math.min(Math.max(n, 64), 1 << 20));
            int room = (int) Math.max(0, keepBytes - line.size());
            line.write(buf, start, Math.min(n, room));
            length += n;
            if (pos < end) {
                pos++; // the '\n'
                return finish(line, length, true);
            }
        }
    }

    private Line finish(ByteArrayOutputStream line, long length, boolean terminated) {
        byte[] b = line == null ? new byte[0] : line.toByteArray();
        if (terminated && length > 0 && b.length == length && b[b.length - 1] == '\r') {
            b = java.util.Arrays.copyOf(b, b.length - 1);
            length--;
        }
        return new Line(++lineNumber, b, length);
    }

    long bytesRead() {
        return bytesRead;
    }
}
