package headroom.pipelines.tokenize;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The file names of Parameter Golf's data directory, so that their {@code train_gpt.py} reads
 * {@code shards/v{V}/pg/} as its {@code DATA_PATH} (docs/PARAMETER_GOLF.md):
 * <pre>
 * fineweb_train_000000.bin ...      token shards, [BOS]+ids per document (256 x int32 header, uint16 ids)
 * fineweb_val_000000.bin ...
 * fineweb_val_bytes_000000.bin ...  the val byte sidecar: per token its UTF-8 bytes (BOS: 0), same layout and length
 * </pre>
 * Numbered from 000000 without gaps in document order (their scripts take the files in sorted name order).
 * Tasks write under their partition number; {@link #renumber} closes the gaps left by empty partitions.
 */
final class ParameterGolfExport {

    static final String BYTES_SPLIT = "val_bytes";

    private ParameterGolfExport() {
    }

    static String shardName(String split, int index) {
        return String.format("fineweb_%s_%06d.bin", split, index);
    }

    /** The byte sidecar of val shard {@code index}. */
    static String byteSidecarName(int index) {
        return shardName(BYTES_SPLIT, index);
    }

    /** Whether a split gets a byte sidecar: only val is scored. */
    static boolean hasByteSidecar(String split) {
        return split.equals("val");
    }

    /** Renames the files written under partition numbers (ascending, as listed) to 000000, 000001, ... */
    static void renumber(Path pgDir, String split, List<Integer> partitions) throws IOException {
        for (int index = 0; index < partitions.size(); index++) {
            int p = partitions.get(index);
            if (p == index) continue;
            // index < p, and indices below p are taken only by earlier partitions, so the target is free
            move(pgDir.resolve(shardName(split, p)), pgDir.resolve(shardName(split, index)));
            if (hasByteSidecar(split)) move(pgDir.resolve(byteSidecarName(p)), pgDir.resolve(byteSidecarName(index)));
        }
    }

    private static void move(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    }
}
