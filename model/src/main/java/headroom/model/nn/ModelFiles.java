package headroom.model.nn;

import headroom.core.io.AtomicFiles;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import headroom.model.ModelConfig;
import headroom.core.WeightTensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A trained model on disk: {@code model.json} (the {@link ModelConfig}) and {@code weights.bin}
 * (a {@link TensorFile}). Each file is written to a temporary name and renamed into place.
 */
public final class ModelFiles {

    public static final String CONFIG_FILE = "model.json";
    public static final String WEIGHTS_FILE = "weights.bin";
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelFiles() {
    }

    public static void write(Path dir, ModelConfig config, List<WeightTensor> weights) throws IOException {
        Files.createDirectories(dir);
        Path weightsTmp = AtomicFiles.tempFor(dir.resolve(WEIGHTS_FILE));
        TensorFile.write(weightsTmp, weights);
        AtomicFiles.publish(weightsTmp, dir.resolve(WEIGHTS_FILE));
        writeJson(dir.resolve(CONFIG_FILE), config.toMap());
    }

    /** Removes a previous run's final model from {@code dir}, if any. */
    public static void delete(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve(CONFIG_FILE));
        Files.deleteIfExists(dir.resolve(WEIGHTS_FILE));
    }

    public static ModelConfig readConfig(Path dir) throws IOException {
        return ModelConfig.fromMap(readJson(dir.resolve(CONFIG_FILE)));
    }

    public static List<WeightTensor> readWeights(Path dir) throws IOException {
        return TensorFile.read(dir.resolve(WEIGHTS_FILE));
    }

    /** Writes a JSON object atomically (temp file, then rename). */
    public static void writeJson(Path file, Map<String, ?> value) throws IOException {
        AtomicFiles.write(file, JSON.writeValueAsBytes(value));
    }

    public static Map<String, Object> readJson(Path file) throws IOException {
        return JSON.readValue(file.toFile(), new TypeReference<Map<String, Object>>() { });
    }
}
