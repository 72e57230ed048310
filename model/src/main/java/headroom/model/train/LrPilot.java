package headroom.model.train;

import headroom.core.TokenStream;
import headroom.model.ModelConfig;
import headroom.model.TrainConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The learning rate of one arm, chosen by a short pilot: the model trains {@code pilot}'s steps at each rate of the grid
 * (the same seed, windows and schedule shape), and the rate whose bits per byte on a holdout of the train split is lowest
 * wins. The holdout is the train split's last documents, which the pilot does not train on; val is never looked at, so
 * the choice does not leak into the score. A rate whose pilot diverges scores +infinity.
 */
public final class LrPilot {

    private static final Logger LOG = LoggerFactory.getLogger(LrPilot.class);

    private LrPilot() {
    }

    /** The chosen rate and every rate's holdout bits per byte, in grid order. */
    public record Result(double lr, List<Double> grid, List<Double> holdoutBpb) {
        public Result {
            grid = List.copyOf(grid);
            holdoutBpb = List.copyOf(holdoutBpb);
        }
    }

    /**
     * Runs the pilot of {@code model} under {@code pilot} (its steps, warmup and floor fraction; its lr is replaced by each
     * of {@code grid}) on {@code train} less its last {@code holdoutDocuments} documents, in folders under {@code workDir}
     * that it deletes. Ties go to the rate listed first.
     */
    public static Result choose(Trainer trainer, ModelConfig model, TrainConfig pilot, List<Double> grid, int holdoutDocuments,
                                TokenStream train, int[] tokenByteLengths, Path workDir) throws IOException {
        if (grid.isEmpty()) throw new IllegalArgumentException("the learning rate grid is empty");
        if (holdoutDocuments < 1 || holdoutDocuments >= train.documents()) {
            throw new IllegalArgumentException("the pilot's holdout of " + holdoutDocuments + " documents must leave training documents; the train split has "
                    + train.documents());
        }
        int fitDocuments = train.documents() - holdoutDocuments;
        TokenStream fit = train.firstDocuments(fitDocuments);
        TokenStream holdout = lastDocuments(train, fitDocuments);
        List<Double> bpb = new ArrayList<>();
        for (double lr : grid) {
            Path dir = workDir.resolve(String.format(Locale.ROOT, "lr-%.3e", lr));
            double score;
            try {
                TrainResult r = trainer.run(model, pilot.withLr(lr), fit, holdout, tokenByteLengths, dir, false);
                if ("signal".equals(r.stopReason())) throw new IllegalStateException("stopped during the learning rate pilot at lr " + lr);
                score = r.finalValBpb();
            } catch (TrainingDivergedException e) {
                score = Double.POSITIVE_INFINITY;
            } finally {
                delete(dir);
            }
            LOG.info(String.format(Locale.ROOT, "lr pilot | lr %.1e | %d steps | train-holdout bpb %.4f", lr, pilot.maxSteps(), score));
            bpb.add(Double.isNaN(score) ? Double.POSITIVE_INFINITY : score);
        }
        int best = 0;
        for (int i = 1; i < grid.size(); i++) if (bpb.get(i) < bpb.get(best)) best = i;
        return new Result(grid.get(best), grid, bpb);
    }

    /** Documents {@code from}.. of {@code stream}, as their own stream. */
    static TokenStream lastDocuments(TokenStream stream, int from) {
        long start = stream.docStart()[from];
        char[] tokens = Arrays.copyOfRange(stream.tokens(), Math.toIntExact(start), stream.tokens().length);
        long[] docStart = Arrays.stream(Arrays.copyOfRange(stream.docStart(), from, stream.documents())).map(s -> s - start).toArray();
        return new TokenStream(tokens, docStart, Arrays.copyOfRange(stream.docBytes(), from, stream.documents()));
    }

    private static void delete(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the pilot folder " + dir, e);
        }
    }
}
