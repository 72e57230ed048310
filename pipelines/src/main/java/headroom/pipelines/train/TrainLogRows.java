package headroom.pipelines.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reads the trainer's {@code train_log.csv} back (columns by header name; an empty cell is NaN). */
public final class TrainLogRows {

    /**
     * One step's row. {@code tokens} counts training tokens after the step's update; val columns are
     * set on evaluation steps only, measured before that step's update (at {@code step} x tokens per step).
     */
    public record Row(long step, long tokens, double trainLoss, double valLoss, double valBpb, double lr, double tokensPerSecond) {

        public boolean evaluated() {
            return !Double.isNaN(valLoss);
        }

        public boolean trained() {
            return !Double.isNaN(trainLoss);
        }
    }

    private TrainLogRows() {
    }

    public static List<Row> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty()) throw new IOException(file + " is empty; it should start with the trainer's header line");
        List<String> header = Arrays.asList(lines.get(0).split(","));
        int[] col = new int[7];
        String[] names = {"step", "tokens", "train_loss", "val_loss", "val_bpb", "lr", "tokens_per_s"};
        for (int i = 0; i < names.length; i++) {
            col[i] = header.indexOf(names[i]);
            if (col[i] < 0) throw new IOException(file + " has no column " + names[i] + " (header: " + lines.get(0) + ")");
        }
        List<Row> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isEmpty()) continue;
            String[] c = line.split(",", -1);
            rows.add(new Row(Long.parseLong(c[col[0]]), Long.parseLong(c[col[1]]), number(c[col[2]]), number(c[col[3]]),
                    number(c[col[4]]), number(c[col[5]]), number(c[col[6]])));
        }
        return rows;
    }

    private static double number(String cell) {
        return cell.isEmpty() ? Double.NaN : Double.parseDouble(cell);
    }
}
