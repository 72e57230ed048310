package headroom.tokenizer.shards;

import headroom.core.io.AtomicFiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes one shard in the Parameter Golf format ({@link ParameterGolfShards}), each document as
 * {@code [BOS] + ids}. The token count is known only at the end, so the header is written last.
 * Like {@link TokenShardWriter}: {@link #finish()} renames the temp file into place, and
 * {@link #close()} without it deletes the temp file.
 */
public final class ParameterGolfShardWriter implements AutoCloseable {

    private static final int BUFFER_BYTES = 1 << 16;

    private final Path file;
    private final Path temp;
    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private long tokens;
    private boolean released;
    private boolean finished;

    public ParameterGolfShardWriter(Path file) throws IOException {
        this.file = file;
        this.temp = AtomicFiles.tempFor(file);
        this.channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        channel.position(ParameterGolfShards.HEADER_BYTES);
    }

    /** Appends {@code [bosId] + ids}; ids must be in [0, 65535]. */
    public void writeDocument(int bosId, int[] ids) throws IOException {
        requireOpen();
        TokenIds.requireUint16(bosId, ids);
        if (tokens + ids.length + 1 > Integer.MAX_VALUE) {
            throw new IllegalStateException("a Parameter Golf shard holds at most " + Integer.MAX_VALUE
                    + " tokens (int32 count); start a new shard for " + file);
        }
        put(bosId);
        for (int id : ids) {
            put(id);
        }
        tokens += ids.length + 1;
    }

    /** Writes the header, syncs, renames into place; returns the token count. */
    public long finish() throws IOException {
        requireOpen();
        drain();
        ByteBuffer header = ByteBuffer.allocate(ParameterGolfShards.HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(0, ParameterGolfShards.MAGIC);
        header.putInt(4, ParameterGolfShards.VERSION);
        header.putInt(8, (int) tokens);
        while (header.hasRemaining()) {
            channel.write(header, header.position());
        }
        channel.force(true);
        released = true;
        channel.close();
        AtomicFiles.publish(temp, file);
        finished = true;
        return tokens;
    }

    @Override
    public void close() throws IOException {
        if (finished) {
            return;
        }
        try {
            released = true;
            channel.close();
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private void put(int id) throws IOException {
        if (!buffer.hasRemaining()) {
            drain();
        }
        buffer.putChar((char) id);
    }

    private void drain() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        buffer.clear();
    }

    private void requireOpen() {
        if (released) {
            throw new IllegalStateException("Parameter Golf shard writer for " + file + " is already finished or closed");
        }
    }
}
