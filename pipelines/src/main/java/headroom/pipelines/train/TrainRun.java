package headroom.pipelines.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import headroom.pipelines.sweep.SweepRows.Candidate;
import headroom.model.train.TrainResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code models/<model>/run.json}: what one (candidate, seed) run was, so every result row can say its
 * protocol, its context T and the training bytes it saw (DESIGN.md, "Experiments a reviewer accepts").
 */
public record TrainRun(
        String model,                 // v512-tied-d256-2x2-m2-s1337 (-flops under a second protocol): the folder under models/
        String candidate,             // v512-tied-d256-2x2-m2: the sweep's candidate
        String role,                  // "" or A / B / C of a hypothesis design
        String pair,                  // "512/2048" for a design row
        long seed,
        String protocol,              // the training budget: "bytes 4000000", "tokens 8000000", ...
        String context,               // "bytes" (T from model.context-bytes) or "tokens" (model.seq-len)
        int seqLen,                   // T, training and evaluation window
        double contextBytes,          // bytes T covers at the train split's tokens per byte
        double trainTokensPerByte,
        long steps,
        long tokensSeen,
        long bytesSeen,               // training text bytes the tokens seen cover: tokensSeen / trainTokensPerByte
        String plan,                  // the precision plan the candidate was sized under
        long estimatedBytes,          // the sweep's estimate of its artifact under that plan
        boolean fills,                // the estimate lands in the fill band (B, by design, does not)
        String stopReason) {

    public static final String FILE = "run.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    static TrainRun of(String model, Candidate c, long seed, String protocol, String context, TrainResult result) {
        return new TrainRun(model, c.name(), c.role(), c.pair(), seed, protocol, context, c.seqLen(), c.contextBytes(),
                c.trainTokensPerByte(), result.steps(), result.tokens(), Math.round(result.tokens() / c.trainTokensPerByte()), c.plan(),
                c.estimatedBytes(), c.fills(), result.stopReason());
    }

    void write(Path modelDir) throws IOException {
        Files.writeString(modelDir.resolve(FILE), JSON.writeValueAsString(this));
    }

    /** The run of a model folder; empty for a model trained by hand (no run.json). */
    public static Optional<TrainRun> read(Path modelDir) throws IOException {
        Path file = modelDir.resolve(FILE);
        return Files.isRegularFile(file) ? Optional.of(JSON.readValue(file.toFile(), TrainRun.class)) : Optional.empty();
    }
}
