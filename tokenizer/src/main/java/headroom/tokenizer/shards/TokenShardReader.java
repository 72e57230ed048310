package headroom.tokenizer.shards;

import headroom.core.TokenStream;
import headroom.core.io.Sha256;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.UInt2Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.message.ArrowBlock;

/** Reads token shards written by {@link TokenShardWriter}; any unreadable file fails naming it. */
public final class TokenShardReader {

    /** A char[] cannot hold more; the margin is the JVM's array header reserve. */
    private static final long MAX_STREAM_TOKENS = Integer.MAX_VALUE - 8;

    private TokenShardReader() {
    }

    /** Concatenates the shards' documents in the given order. */
    public static TokenStream read(List<Path> shardFiles) throws IOException {
        StreamBuilder builder = new StreamBuilder();
        for (Path file : shardFiles) {
            forEachDocument(file, builder);
        }
        return builder.build();
    }

    /** Counts documents, tokens and text bytes and hashes the file, as the writer's summary does. */
    public static ShardSummary summarize(Path file) throws IOException {
        long[] totals = new long[3]; // documents, tokens, text bytes
        forEachDocument(file, (f, tokens, from, to, textBytes) -> {
            totals[0]++;
            totals[1] += to - from;
            totals[2] += textBytes;
        });
        return new ShardSummary(file.getFileName().toString(), totals[0], totals[1], totals[2], Sha256.of(file));
    }

    /** Receives one document: its tokens are {@code tokens[from, to)}, BOS first. */
    private interface DocumentSink {
        void accept(Path file, UInt2Vector tokens, int from, int to, int textBytes) throws IOException;
    }

    private static void forEachDocument(Path file, DocumentSink sink) throws IOException {
        try (BufferAllocator allocator = new RootAllocator();
             FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
             ArrowFileReader reader = new ArrowFileReader(channel, allocator)) {
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            ShardSchema.require(root.getSchema(), file);
            BigIntVector docIndex = (BigIntVector) root.getVector(ShardSchema.DOC_INDEX);
            ListVector ids = (ListVector) root.getVector(ShardSchema.IDS);
            UInt2Vector tokens = (UInt2Vector) ids.getDataVector();
            IntVector textBytes = (IntVector) root.getVector(ShardSchema.TEXT_BYTES);
            for (ArrowBlock block : reader.getRecordBlocks()) {
                reader.loadRecordBatch(block);
                for (int row = 0; row < root.getRowCount(); row++) {
                    if (docIndex.isNull(row) || ids.isNull(row) || textBytes.isNull(row)) {
                        throw new InvalidShardException(file, "row " + row + " has a null field");
                    }
                    int from = ids.getElementStartIndex(row);
                    int to = ids.getElementEndIndex(row);
                    if (to <= from) {
                        throw new InvalidShardException(file, "row " + row + " has no tokens (a document starts with BOS)");
                    }
                    if (textBytes.get(row) < 0) {
                        throw new InvalidShardException(file, "row " + row + " has negative text_bytes " + textBytes.get(row));
                    }
                    sink.accept(file, tokens, from, to, textBytes.get(row));
                }
            }
        } catch (InvalidShardException | NoSuchFileException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Arrow reports truncation and garbage as assorted IO and runtime exceptions
            throw new InvalidShardException(file, "not a readable Arrow IPC file: truncated, corrupt or of another format ("
                    + e + ")", e);
        }
    }

    /** Grows the stream's arrays by doubling, since shard footers do not give token counts up front. */
    private static final class StreamBuilder implements DocumentSink {
        private char[] tokens = new char[1 << 16];
        private long[] docStart = new long[1 << 10];
        private int[] docBytes = new int[1 << 10];
        private int size;
        private int documents;

        @Override
        public void accept(Path file, UInt2Vector source, int from, int to, int textBytes) throws IOException {
            int length = to - from;
            if (size + (long) length > MAX_STREAM_TOKENS) {
                throw new InvalidShardException(file, "the shards read so far hold more than " + MAX_STREAM_TOKENS
                        + " tokens, the most one TokenStream can hold: read fewer shards at a time");
            }
            if (size + length > tokens.length) {
                tokens = Arrays.copyOf(tokens, (int) Math.min(MAX_STREAM_TOKENS, Math.max(2L * tokens.length, size + length)));
            }
            if (documents == docStart.length) {
                docStart = Arrays.copyOf(docStart, 2 * documents);
                docBytes = Arrays.copyOf(docBytes, 2 * documents);
            }
            docStart[documents] = size;
            docBytes[documents] = textBytes;
            documents++;
            for (int i = from; i < to; i++) {
                tokens[size++] = source.get(i);
            }
        }

        TokenStream build() {
            return new TokenStream(Arrays.copyOf(tokens, size), Arrays.copyOf(docStart, documents),
                    Arrays.copyOf(docBytes, documents));
        }
    }
}
