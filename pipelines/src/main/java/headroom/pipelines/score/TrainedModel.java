package headroom.pipelines.score;

import headroom.model.train.TrainLog;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import headroom.pipelines.train.TrainReport;
import headroom.pipelines.train.TrainRun;
import headroom.model.ModelConfig;
import headroom.model.nn.ModelFiles;
import headroom.core.io.Sha256;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One trained model under {@code models/<model>/}: {@code model.json} and {@code weights.bin} are
 * what scoring needs; {@code run.json} (candidate, seed, protocol, T, bytes seen), {@code result.json}
 * (train time, device, the val bpb move over the convergence tail and whether the run is still learning, the peak
 * learning rate: NaN and false when absent) and the loss curve are optional, so a model trained by hand scores as well as one
 * from the train stage (its candidate is then its folder name and its seed -1).
 */
public record TrainedModel(String name, Path dir, ModelConfig config, double trainSeconds, String device, TrainRun run,
                           double tailMoveBpb, boolean stillLearning, double lr) {

    public static final String RESULT_FILE = "result.json";
    public static final String LOSS_PLOT = "loss.svg";
    /** Written by the train stage instead of weights when a candidate's training diverged. */
    public static final String DIVERGED_FILE = "diverged.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every finished model under {@code modelsDir}, by candidate name; folders without both model files are skipped. */
    public static List<TrainedModel> list(Path modelsDir) throws IOException {
        if (!Files.isDirectory(modelsDir)) return List.of();
        List<TrainedModel> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(modelsDir)) {
            for (Path dir : dirs.sorted().toList()) {
                if (Files.isRegularFile(dir.resolve(ModelFiles.CONFIG_FILE)) && Files.isRegularFile(dir.resolve(ModelFiles.WEIGHTS_FILE))) {
                    out.add(read(dir));
                }
            }
        }
        return out;
    }

    /** A candidate whose training diverged: its folder holds {@code diverged.json} instead of weights. */
    public record Diverged(String candidate, String message) {
    }

    /** Every diverged candidate under {@code modelsDir}, by name. */
    public static List<Diverged> diverged(Path modelsDir) throws IOException {
        if (!Files.isDirectory(modelsDir)) return List.of();
        List<Diverged> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(modelsDir)) {
            for (Path dir : dirs.sorted().toList()) {
                Path file = dir.resolve(DIVERGED_FILE);
                if (Files.isRegularFile(file)) out.add(new Diverged(dir.getFileName().toString(), JSON.readTree(file.toFile()).path("message").asText()));
            }
        }
        return out;
    }

    static TrainedModel read(Path dir) throws IOException {
        JsonNode result = Files.isRegularFile(dir.resolve(RESULT_FILE)) ? JSON.readTree(dir.resolve(RESULT_FILE).toFile()) : JSON.nullNode();
        // the train stage nests TrainResult under "result"; a flat file (seconds, device at the top) reads as well
        JsonNode trained = result.path("result").isObject() ? result.path("result") : result;
        JsonNode seconds = trained.path("seconds");
        String device = result.path("device").asText(trained.path("device").asText(""));
        String name = dir.getFileName().toString();
        ModelConfig config = ModelFiles.readConfig(dir);
        TrainRun run = TrainRun.read(dir).orElse(new TrainRun(name, name, "", "", -1, "", "", config.maxSeqLen(), Double.NaN, Double.NaN,
                0, 0, 0, "", 0, false, ""));
        JsonNode tailMove = result.path(TrainReport.TAIL_MOVE_KEY);
        return new TrainedModel(name, dir, config, seconds.isNumber() ? seconds.asDouble() : Double.NaN, device, run,
                tailMove.isNumber() || tailMove.isTextual() ? tailMove.asDouble(Double.NaN) : Double.NaN,
                result.path(TrainReport.STILL_LEARNING_KEY).asBoolean(false),
                result.path("lr").isNumber() ? result.path("lr").asDouble() : result.path("train").path("lr").asDouble(Double.NaN));
    }

    /** The sweep candidate this model is a seed of. */
    public String candidate() {
        return run.candidate();
    }

    /** SHA-256 over model.json and weights.bin: what identifies a model that no train stage recorded (one trained by hand). */
    public String filesDigest() throws IOException {
        return Sha256.ofFiles(List.of(dir.resolve(ModelFiles.CONFIG_FILE), dir.resolve(ModelFiles.WEIGHTS_FILE)));
    }

    /** (step, train loss) pairs of {@code train_log.csv}; empty when there is none. */
    public List<double[]> trainLoss() {
        Path log = dir.resolve(TrainLog.FILE);
        if (!Files.isRegularFile(log)) return List.of();
        try {
            List<String> lines = Files.readAllLines(log);
            if (lines.isEmpty()) return List.of();
            List<String> header = List.of(lines.get(0).split(",", -1));
            int step = header.indexOf("step"), loss = header.indexOf("train_loss");
            if (step < 0 || loss < 0) return List.of();
            List<double[]> points = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                String[] cells = line.split(",", -1);
                if (cells.length > Math.max(step, loss) && !cells[loss].isEmpty()) {
                    points.add(new double[]{Double.parseDouble(cells[step]), Double.parseDouble(cells[loss])});
                }
            }
            return points;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + log, e);
        }
    }
}
