package headroom.pipelines.tokenize;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ParameterGolfExportTest {

    @Test
    void emptyPartitionsLeaveNoGapInTheNumbering(@TempDir Path pg) throws Exception {
        for (int p : List.of(0, 2, 5)) {
            Files.writeString(pg.resolve(ParameterGolfExport.shardName("val", p)), "tokens of partition " + p);
            Files.writeString(pg.resolve(ParameterGolfExport.byteSidecarName(p)), "bytes of partition " + p);
        }
        ParameterGolfExport.renumber(pg, "val", List.of(0, 2, 5));
        List<String> names;
        try (Stream<Path> s = Files.list(pg)) {
            names = s.map(f -> f.getFileName().toString()).sorted().toList();
        }
        assertEquals(List.of("fineweb_val_000000.bin", "fineweb_val_000001.bin", "fineweb_val_000002.bin",
                "fineweb_val_bytes_000000.bin", "fineweb_val_bytes_000001.bin", "fineweb_val_bytes_000002.bin"), names);
        assertEquals("tokens of partition 5", Files.readString(pg.resolve("fineweb_val_000002.bin")), "document order kept");
        assertEquals("bytes of partition 5", Files.readString(pg.resolve("fineweb_val_bytes_000002.bin")), "the sidecar moves with its shard");
    }
}
