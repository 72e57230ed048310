package headroom.pipelines.run;

import headroom.core.io.AtomicFiles;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** {@code manifest.json} of a run directory: one {@link StageRecord} per stage, rewritten atomically. */
public final class Manifest {

    public static final String FILE = "manifest.json";
    static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private final Path file;
    private final Map<String, StageRecord> stages;

    private Manifest(Path file, Map<String, StageRecord> stages) {
        this.file = file;
        this.stages = stages;
    }

    public static Manifest load(Path runDir) {
        Path file = runDir.resolve(FILE);
        if (!Files.exists(file)) return new Manifest(file, new TreeMap<>());
        try {
            Doc doc = JSON.readValue(file.toFile(), Doc.class);
            return new Manifest(file, new TreeMap<>(doc.stages() == null ? Map.of() : doc.stages()));
        } catch (IOException e) {
            throw new IllegalStateException("the run directory's " + file + " cannot be read (" + e.getMessage()
                    + "); move it away to start the run afresh", e);
        }
    }

    public Optional<StageRecord> stage(String name) {
        return Optional.ofNullable(stages.get(name));
    }

    public Map<String, StageRecord> stages() {
        return Map.copyOf(stages);
    }

    public synchronized void put(StageRecord record) {
        stages.put(record.stage(), record);
        save();
    }

    private void save() {
        try {
            AtomicFiles.write(file, JSON.writeValueAsBytes(new Doc(stages)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    record Doc(Map<String, StageRecord> stages) {
    }
}
