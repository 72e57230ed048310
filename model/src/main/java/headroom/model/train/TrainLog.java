package headroom.model.train;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code train_log.csv}: one row per step (val columns filled on evaluation steps). A resumed run
 * drops the rows at or after its checkpoint's step, written by the interrupted session, and appends.
 */
public final class TrainLog implements AutoCloseable {

    /** The log's file name in a model folder: other modules read it under this name. */
    public static final String FILE = "train_log.csv";
    static final String HEADER = "step,tokens,train_loss,val_loss,val_bpb,lr,step_ms,tokens_per_s,heap_mb,rss_mb";

    private final BufferedWriter out;

    private TrainLog(BufferedWriter out) {
        this.out = out;
    }

    /** Opens the log for a run that starts at {@code fromStep} (0 for a fresh run, which truncates). */
    static TrainLog open(Path modelDir, long fromStep) throws IOException {
        Path file = modelDir.resolve(FILE);
        List<String> kept = new ArrayList<>();
        kept.add(HEADER);
        if (fromStep > 0 && Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isEmpty() || line.equals(HEADER)) continue;
                if (Long.parseLong(line.substring(0, line.indexOf(','))) < fromStep) kept.add(line);
            }
        }
        Files.write(file, kept, StandardCharsets.UTF_8);
        return new TrainLog(Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND));
    }

    /** NaN values are written as empty cells. */
    void row(long step, long tokens, double trainLoss, double valLoss, double valBpb, double lr, double stepMs,
             double tokensPerSecond, double heapMb, double rssMb) throws IOException {
        out.write(String.join(",", Long.toString(step), Long.toString(tokens), cell("%.8f", trainLoss), cell("%.8f", valLoss),
                cell("%.8f", valBpb), cell("%.6e", lr), cell("%.2f", stepMs), cell("%.1f", tokensPerSecond),
                cell("%.1f", heapMb), cell("%.1f", rssMb)));
        out.newLine();
        out.flush();
    }

    private static String cell(String format, double value) {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, format, value);
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
