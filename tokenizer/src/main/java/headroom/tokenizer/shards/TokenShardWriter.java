package headroom.tokenizer.shards;

import headroom.core.io.Sha256;
import headroom.core.io.AtomicFiles;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.UInt2Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one Arrow IPC file (random-access format) of tokenized documents, one row per document
 * (schema in {@link ShardSchema}), in batches of bounded rows and tokens so memory stays flat.
 *
 * <p>Rows go to a hidden temp file beside the target; {@link #finish()} renames it into place and
 * returns the summary. {@link #close()} without {@code finish()} deletes the temp file, so a failed
 * task leaves no shard behind:
 * <pre>{@code
 * try (TokenShardWriter writer = new TokenShardWriter(file)) {
 *     for (...) writer.writeDocument(docIndex, bosId, ids, textBytes);
 *     summary = writer.finish();
 * }
 * }</pre>
 */
public final class TokenShardWriter implements AutoCloseable {

    public static final int DEFAULT_MAX_BATCH_ROWS = 8192;
    public static final int DEFAULT_MAX_BATCH_TOKENS = 1 << 20;

    private static final Logger LOG = LoggerFactory.getLogger(TokenShardWriter.class);

    private final Path file;
    private final Path temp;
    private final int maxBatchRows;
    private final int maxBatchTokens;
    private final long startNanos = System.nanoTime();

    private final BufferAllocator allocator;
    private final VectorSchemaRoot root;
    private final BigIntVector docIndexVector;
    private final ListVector idsVector;
    private final UInt2Vector tokenVector;
    private final IntVector textBytesVector;
    private final FileChannel channel;
    private final ArrowFileWriter arrowWriter;

    private int batchRows;
    private int batchTokens;
    private long documents;
    private long tokens;
    private long textBytes;
    private boolean released;
    private ShardSummary summary;

    public TokenShardWriter(Path file) throws IOException {
        this(file, DEFAULT_MAX_BATCH_ROWS, DEFAULT_MAX_BATCH_TOKENS);
    }

    /** A document longer than {@code maxBatchTokens} goes alone in its own batch. */
    public TokenShardWriter(Path file, int maxBatchRows, int maxBatchTokens) throws IOException {
        if (maxBatchRows < 1) {
            throw new IllegalArgumentException("maxBatchRows must be >= 1, got " + maxBatchRows);
        }
        if (maxBatchTokens < 1) {
            throw new IllegalArgumentException("maxBatchTokens must be >= 1, got " + maxBatchTokens);
        }
        this.file = file;
        this.temp = AtomicFiles.tempFor(file);
        this.maxBatchRows = maxBatchRows;
        this.maxBatchTokens = maxBatchTokens;
        this.allocator = new RootAllocator();
        this.root = VectorSchemaRoot.create(ShardSchema.SCHEMA, allocator);
        this.docIndexVector = (BigIntVector) root.getVector(ShardSchema.DOC_INDEX);
        this.idsVector = (ListVector) root.getVector(ShardSchema.IDS);
        this.tokenVector = (UInt2Vector) idsVector.getDataVector();
        this.textBytesVector = (IntVector) root.getVector(ShardSchema.TEXT_BYTES);
        FileChannel opened = null;
        try {
            opened = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            ArrowFileWriter writer = new ArrowFileWriter(root, null, opened);
            writer.start();
            this.channel = opened;
            this.arrowWriter = writer;
        } catch (IOException | RuntimeException e) {
            try (BufferAllocator a = allocator; VectorSchemaRoot r = root; FileChannel c = opened) {
                Files.deleteIfExists(temp);
            }
            throw e;
        }
    }

    /**
     * Appends one document as the row {@code (docIndex, [bosId] + ids, textBytes)}.
     *
     * @param docIndex  position of the document in its split
     * @param ids       the document's token ids, each in [0, 65535]
     * @param textBytes UTF-8 bytes of the document's text
     */
    public void writeDocument(long docIndex, int bosId, int[] ids, int textBytes) throws IOException {
        requireOpen();
        if (docIndex < 0) {
            throw new IllegalArgumentException("docIndex must be >= 0, got " + docIndex);
        }
        if (textBytes < 0) {
            throw new IllegalArgumentException("textBytes must be >= 0, got " + textBytes);
        }
        TokenIds.requireUint16(bosId, ids);
        int length = ids.length + 1;
        if (batchRows > 0 && (batchRows == maxBatchRows || (long) batchTokens + length > maxBatchTokens)) {
            writeBatch();
        }
        docIndexVector.setSafe(batchRows, docIndex);
        int offset = idsVector.startNewValue(batchRows);
        tokenVector.setSafe(offset, bosId);
        for (int i = 0; i < ids.length; i++) {
            tokenVector.setSafe(offset + 1 + i, ids[i]);
        }
        idsVector.endValue(batchRows, length);
        textBytesVector.setSafe(batchRows, textBytes);
        batchRows++;
        batchTokens += length;
        documents++;
        tokens += length;
        this.textBytes += textBytes;
    }

    /** Writes the footer, syncs, renames the temp file into place, and returns its summary. */
    public ShardSummary finish() throws IOException {
        requireOpen();
        if (batchRows > 0) {
            writeBatch();
        }
        arrowWriter.end();
        channel.force(true);
        release();
        String sha256 = Sha256.of(temp);
        AtomicFiles.publish(temp, file);
        summary = new ShardSummary(file.getFileName().toString(), documents, tokens, textBytes, sha256);
        LOG.info("shard {} | {} docs | {} tokens | {} text bytes | {} ms",
                file, documents, tokens, textBytes, (System.nanoTime() - startNanos) / 1_000_000);
        return summary;
    }

    /** Releases memory; if {@link #finish()} did not complete, deletes the temp file. */
    @Override
    public void close() throws IOException {
        if (summary != null) {
            return;
        }
        try {
            release();
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private void writeBatch() throws IOException {
        root.setRowCount(batchRows);
        arrowWriter.writeBatch();
        // reset keeps the buffers, so the next batch reuses the same memory
        for (var vector : root.getFieldVectors()) {
            vector.reset();
        }
        root.setRowCount(0);
        batchRows = 0;
        batchTokens = 0;
    }

    private void release() throws IOException {
        if (released) {
            return;
        }
        released = true;
        // closed in reverse order: channel, then root, then allocator
        try (BufferAllocator a = allocator; VectorSchemaRoot r = root; FileChannel c = channel) {
            // nothing to do: try-with-resources closes all three even if one fails
        }
    }

    private void requireOpen() {
        if (released) {
            throw new IllegalStateException("shard writer for " + file + " is already finished or closed");
        }
    }
}
