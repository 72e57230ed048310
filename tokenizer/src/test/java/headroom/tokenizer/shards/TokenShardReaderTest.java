package headroom.tokenizer.shards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenShardReaderTest {

    @TempDir
    Path dir;

    @Test
    void aTruncatedShardIsAnErrorNamingTheFile() throws IOException {
        Path file = writeShard("part-00000.arrow");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 20));

        InvalidShardException e = assertThrows(InvalidShardException.class, () -> TokenShardReader.read(List.of(file)));

        assertTrue(e.getMessage().startsWith("token shard " + file + ": not a readable Arrow IPC file"), e.getMessage());
    }

    @Test
    void aFileThatIsNotArrowIsAnErrorNamingTheFile() throws IOException {
        Path file = dir.resolve("notes.arrow");
        Files.writeString(file, "these are not the tokens you are looking for\n".repeat(10));

        InvalidShardException e = assertThrows(InvalidShardException.class, () -> TokenShardReader.summarize(file));

        assertTrue(e.getMessage().startsWith("token shard " + file + ": not a readable Arrow IPC file"), e.getMessage());
    }

    @Test
    void anArrowFileOfAnotherSchemaIsAnErrorNamingTheFile() throws IOException {
        Path file = dir.resolve("other.arrow");
        Schema schema = new Schema(List.of(Field.notNullable("doc_index", new ArrowType.Int(32, true))));
        try (BufferAllocator allocator = new RootAllocator();
             VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
             FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
             ArrowFileWriter writer = new ArrowFileWriter(root, null, channel)) {
            writer.start();
            ((IntVector) root.getVector(0)).setSafe(0, 7);
            root.setRowCount(1);
            writer.writeBatch();
            writer.end();
        }

        InvalidShardException e = assertThrows(InvalidShardException.class, () -> TokenShardReader.read(List.of(file)));

        assertTrue(e.getMessage().startsWith("token shard " + file + ": schema must be "), e.getMessage());
    }

    @Test
    void aMissingShardIsAnErrorNamingTheFile() {
        Path file = dir.resolve("absent.arrow");
        IOException e = assertThrows(IOException.class, () -> TokenShardReader.read(List.of(file)));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void summarizeMatchesTheWritersSummary() throws IOException {
        Path file = dir.resolve("part-00001.arrow");
        ShardSummary written;
        try (TokenShardWriter writer = new TokenShardWriter(file)) {
            writer.writeDocument(0, 1, new int[] {5, 6, 7}, 9);
            writer.writeDocument(1, 1, new int[] {8}, 4);
            written = writer.finish();
        }
        ShardSummary summary = TokenShardReader.summarize(file);
        assertEquals(written, summary);
        assertEquals(2, summary.documents());
        assertEquals(6, summary.tokens());
        assertEquals(13, summary.textBytes());
    }

    private Path writeShard(String name) throws IOException {
        Path file = dir.resolve(name);
        try (TokenShardWriter writer = new TokenShardWriter(file)) {
            for (int d = 0; d < 100; d++) {
                writer.writeDocument(d, 0, TestDocs.doc(d), d);
            }
            writer.finish();
        }
        return file;
    }
}
