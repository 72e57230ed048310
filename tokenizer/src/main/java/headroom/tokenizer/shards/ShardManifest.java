package headroom.tokenizer.shards;

import headroom.core.io.Sha256;
import headroom.core.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The {@value #FILE_NAME} of a directory of token shards of one split: what was encoded with
 * which tokenizer, each shard's counts and checksum, and the totals.
 *
 * @param vocabSize  tokenizer vocabulary size (ids are below it)
 * @param bosId      the id that opens every document
 * @param split      the corpus split, e.g. "train" or "val"
 * @param shards     in reading order
 * @param documents  sum over shards
 * @param tokens     sum over shards
 * @param textBytes  sum over shards: the denominator of bits per byte on the whole split
 */
public record ShardManifest(int vocabSize, int bosId, String split, List<ShardSummary> shards,
                            long documents, long tokens, long textBytes) {

    public static final String FILE_NAME = "manifest.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    public ShardManifest {
        if (vocabSize < 1 || vocabSize > TokenIds.MAX_ID + 1) {
            throw new IllegalArgumentException("vocabSize must be in [1, " + (TokenIds.MAX_ID + 1) + "] (uint16 ids), got " + vocabSize);
        }
        if (bosId < 0 || bosId >= vocabSize) {
            throw new IllegalArgumentException("bosId must be in [0, vocabSize=" + vocabSize + "), got " + bosId);
        }
        if (split == null || split.isBlank()) {
            throw new IllegalArgumentException("split must be non-blank, got '" + split + "'");
        }
        shards = List.copyOf(shards);
        Set<String> names = new HashSet<>();
        for (ShardSummary shard : shards) {
            if (!names.add(shard.file())) {
                throw new IllegalArgumentException("shards must have distinct files, got " + shard.file() + " twice");
            }
        }
        requireTotal("documents", documents, shards.stream().mapToLong(ShardSummary::documents).sum());
        requireTotal("tokens", tokens, shards.stream().mapToLong(ShardSummary::tokens).sum());
        requireTotal("textBytes", textBytes, shards.stream().mapToLong(ShardSummary::textBytes).sum());
    }

    /** A manifest whose totals are the sums over {@code shards}. */
    public static ShardManifest of(int vocabSize, int bosId, String split, List<ShardSummary> shards) {
        return new ShardManifest(vocabSize, bosId, split, shards,
                shards.stream().mapToLong(ShardSummary::documents).sum(),
                shards.stream().mapToLong(ShardSummary::tokens).sum(),
                shards.stream().mapToLong(ShardSummary::textBytes).sum());
    }

    /** The shard files in reading order, for {@link TokenShardReader#read(List)}. */
    public List<Path> shardPaths(Path dir) {
        return shards.stream().map(s -> dir.resolve(s.file())).toList();
    }

    /** Writes {@code dir/manifest.json} atomically. */
    public void write(Path dir) throws IOException {
        Path target = dir.resolve(FILE_NAME);
        Path temp = AtomicFiles.tempFor(target);
        try {
            JSON.writeValue(temp.toFile(), this);
            AtomicFiles.publish(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    public static ShardManifest read(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        try {
            return JSON.readValue(file.toFile(), ShardManifest.class);
        } catch (IOException e) {
            if (!Files.exists(file)) {
                throw new NoSuchFileException(file.toString(), null, "no shard manifest");
            }
            throw new IOException("shard manifest " + file + " is invalid: " + e.getMessage(), e);
        }
    }

    /**
     * Reads the manifest and recomputes every shard's checksum and counts.
     *
     * @return the manifest, once every shard matches it
     * @throws IOException naming the first shard that is missing, unreadable or differs
     */
    public static ShardManifest verify(Path dir) throws IOException {
        ShardManifest manifest = read(dir);
        for (ShardSummary expected : manifest.shards()) {
            Path file = dir.resolve(expected.file());
            if (!Files.isRegularFile(file)) {
                throw new NoSuchFileException(file.toString(), null, "shard listed in " + dir.resolve(FILE_NAME) + " is missing");
            }
            String sha256 = Sha256.of(file);
            if (!sha256.equals(expected.sha256())) {
                throw new IOException("shard " + file + " has sha256 " + sha256 + " but the manifest says "
                        + expected.sha256() + ": the file changed or is corrupt; re-run tokenize");
            }
            ShardSummary actual = TokenShardReader.summarize(file);
            if (!actual.equals(expected)) {
                throw new IOException("shard " + file + " holds " + actual + " but the manifest says " + expected);
            }
        }
        return manifest;
    }

    private static void requireTotal(String field, long value, long sum) {
        if (value != sum) {
            throw new IllegalArgumentException(field + " must equal the sum over shards (" + sum + "), got " + value);
        }
    }
}
