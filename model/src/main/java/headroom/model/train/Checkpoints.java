package headroom.model.train;

import headroom.core.io.AtomicFiles;
import headroom.core.io.FileTrees;
import headroom.model.ModelConfig;
import headroom.model.TrainConfig;
import headroom.model.nn.LmModel;
import headroom.model.nn.ModelFiles;
import headroom.model.nn.TensorFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Checkpoints under {@code modelDir/checkpoints/}: one {@code step-NNNNNNNN} folder per checkpoint
 * (weights, AdamW moments, state.json with the loop counters and both resolved configs), written in
 * a temporary folder beside it ({@link AtomicFiles#tempFor}) and renamed into place; {@code latest}
 * names the newest one, and older ones (and temporary folders a killed run left) are removed once it
 * points past them.
 */
public final class Checkpoints {

    private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);
    static final String DIR = "checkpoints";
    static final String LATEST = "latest";
    private static final String STATE = "state.json";
    private static final String FIRST_MOMENTS = "adam_m.bin";
    private static final String SECOND_MOMENTS = "adam_v.bin";

    private Checkpoints() {
    }

    static Path write(Path modelDir, TrainState state, double seconds, LmModel model, AdamW adamW, TrainConfig trainConfig) throws IOException {
        Path root = Files.createDirectories(modelDir.resolve(DIR));
        String name = String.format("step-%08d", state.step);
        Path target = root.resolve(name);
        Path tmp = Files.createDirectories(AtomicFiles.tempFor(target));
        ModelFiles.write(tmp, model.config(), model.weights());
        TensorFile.write(tmp.resolve(FIRST_MOMENTS), adamW.firstMoments());
        TensorFile.write(tmp.resolve(SECOND_MOMENTS), adamW.secondMoments());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("state", state.toMap(seconds));
        json.put("optimizerUpdates", adamW.updates());
        json.put("model", model.config().toMap());
        json.put("train", trainConfig.toMap());
        ModelFiles.writeJson(tmp.resolve(STATE), json);
        FileTrees.deleteTree(target);
        AtomicFiles.publish(tmp, target);
        AtomicFiles.write(root.resolve(LATEST), name.getBytes(StandardCharsets.UTF_8));
        removeAllBut(root, name);
        return target;
    }

    /** The newest checkpoint's state.json (loop counters and both configs), if the folder has a checkpoint. */
    public static Optional<Path> latestState(Path modelDir) throws IOException {
        Optional<Path> latest = latest(modelDir);
        return latest.map(dir -> dir.resolve(STATE));
    }

    /** The optimizer steps done at the newest checkpoint, if the folder has one. */
    @SuppressWarnings("unchecked")
    public static java.util.OptionalLong latestStep(Path modelDir) throws IOException {
        Optional<Path> state = latestState(modelDir);
        if (state.isEmpty()) return java.util.OptionalLong.empty();
        Map<String, Object> json = ModelFiles.readJson(state.get());
        return java.util.OptionalLong.of(((Number) ((Map<String, Object>) json.get("state")).get("step")).longValue());
    }

    static Optional<Path> latest(Path modelDir) throws IOException {
        Path pointer = modelDir.resolve(DIR).resolve(LATEST);
        if (!Files.exists(pointer)) return Optional.empty();
        Path dir = modelDir.resolve(DIR).resolve(Files.readString(pointer).trim());
        if (!Files.isDirectory(dir)) throw new IOException(pointer + " names " + dir + ", which does not exist");
        return Optional.of(dir);
    }

    /** Loads weights and moments into the model and optimizer; the model config must be the one trained. */
    @SuppressWarnings("unchecked")
    static TrainState restore(Path checkpoint, LmModel model, AdamW adamW, TrainConfig trainConfig) throws IOException {
        Map<String, Object> json = ModelFiles.readJson(checkpoint.resolve(STATE));
        ModelConfig saved = ModelConfig.fromMap((Map<String, Object>) json.get("model"));
        if (!saved.equals(model.config())) {
            throw new IllegalArgumentException("checkpoint " + checkpoint + " was trained with model config " + saved.toMap()
                    + ", not " + model.config().toMap() + "; train without resume to start over");
        }
        TrainConfig savedTrain = TrainConfig.fromMap((Map<String, Object>) json.get("train"));
        if (!savedTrain.equals(trainConfig)) {
            LOG.warn("resuming {} with a changed train config: was {}, now {}", checkpoint, savedTrain.toMap(), trainConfig.toMap());
        }
        model.loadWeights(ModelFiles.readWeights(checkpoint));
        adamW.restore(((Number) json.get("optimizerUpdates")).longValue(),
                TensorFile.read(checkpoint.resolve(FIRST_MOMENTS)), TensorFile.read(checkpoint.resolve(SECOND_MOMENTS)));
        return TrainState.fromMap((Map<String, Object>) json.get("state"));
    }

    /** Forgets earlier checkpoints of this model folder (a fresh, non-resumed run). */
    static void clear(Path modelDir) throws IOException {
        FileTrees.deleteTree(modelDir.resolve(DIR));
    }

    private static void removeAllBut(Path root, String keep) throws IOException {
        try (Stream<Path> children = Files.list(root)) {
            // older steps, and the hidden temporary folders of checkpoints a killed run never finished
            List<Path> old = children.filter(p -> Files.isDirectory(p) && !p.getFileName().toString().equals(keep)
                    && (p.getFileName().toString().startsWith("step-") || p.getFileName().toString().startsWith("."))).toList();
            for (Path p : old) FileTrees.deleteTree(p);
        }
    }
}
