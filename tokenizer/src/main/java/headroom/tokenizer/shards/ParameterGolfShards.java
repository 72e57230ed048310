package headroom.tokenizer.shards;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The Parameter Golf (llm.c / modded-nanogpt) token shard format: a header of 256 little-endian
 * int32 (magic 20240520, version 1, token count, the rest 0), then the tokens as little-endian
 * uint16. {@link ParameterGolfShardWriter} writes it; {@link #read(Path)} reads and validates it.
 */
public final class ParameterGolfShards {

    public static final int MAGIC = 20240520;
    public static final int VERSION = 1;
    public static final int HEADER_INTS = 256;
    public static final int HEADER_BYTES = HEADER_INTS * Integer.BYTES;

    private ParameterGolfShards() {
    }

    /** The shard's tokens; fails naming the file when magic, version or size do not match. */
    public static char[] read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < HEADER_BYTES) {
                throw new InvalidShardException(file, "Parameter Golf shard is " + size
                        + " bytes, shorter than its " + HEADER_BYTES + "-byte header");
            }
            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, header, 0);
            int magic = header.getInt(0);
            int version = header.getInt(4);
            int count = header.getInt(8);
            if (magic != MAGIC) {
                throw new InvalidShardException(file, "magic must be " + MAGIC + ", got " + magic + ": not a Parameter Golf shard");
            }
            if (version != VERSION) {
                throw new InvalidShardException(file, "version must be " + VERSION + " (uint16 tokens), got " + version);
            }
            long expected = HEADER_BYTES + 2L * count;
            if (count < 0 || size != expected) {
                throw new InvalidShardException(file, "header says " + count + " tokens (" + expected
                        + " bytes) but the file has " + size + " bytes: truncated or corrupt");
            }
            ByteBuffer body = ByteBuffer.allocate(2 * count).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, body, HEADER_BYTES);
            char[] tokens = new char[count];
            body.asCharBuffer().get(tokens);
            return tokens;
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position + buffer.position());
            if (n < 0) {
                throw new IOException("unexpected end of file at byte " + (position + buffer.position()));
            }
        }
        buffer.flip();
    }
}
