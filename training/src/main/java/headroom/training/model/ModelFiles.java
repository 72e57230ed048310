package headroom.training.model;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import headroom.training.ModelConfig;
import headroom.training.WeightTensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
        Path weightsTmp = dir.resolve(WEIGHTS_FILE + ".tmp");
        TensorFile.write(weightsTmp, weights);
        Files.move(weightsTmp, dir.resolve(WEIGHTS_FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
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

    /** Writes a JSON object to a temporary sibling, then renames it into place. */
    public static void writeJson(Path file, Map<String, ?> value) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        JSON.writeValue(tmp.toFile(), value);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    public static Map<String, Object> readJson(Path file) throws IOException {
        return JSON.readValue(file.toFile(), new TypeReference<Map<String, Object>>() { });
    }
}
