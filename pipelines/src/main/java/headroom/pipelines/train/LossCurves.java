package headroom.pipelines.train;

import headroom.model.train.TrainLog;
import headroom.pipelines.report.ChartSpec;
import headroom.pipelines.report.Series;
import headroom.pipelines.report.SvgChart;
import headroom.pipelines.train.TrainLogRows.Row;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Training curves in one unit, bits per byte, so that train and val share an axis (issue 25): the
 * train loss (nats per token, on the training windows) times the train split's tokens per byte over
 * ln 2, beside val bits per byte (measured on val's own bytes). The two differ by the text they are
 * measured on and by train loss being a running mean over a batch, not by unit.
 */
public final class LossCurves {

    private static final double LN2 = Math.log(2);

    /** One seed of a candidate: its train log and its train split's tokens per byte (run.json). */
    public record Seed(long seed, Path modelDir, double trainTokensPerByte) {
    }

    private LossCurves() {
    }

    /** Nats per token to bits per byte at {@code tokensPerByte} tokens per byte. */
    static double bitsPerByte(double natsPerToken, double tokensPerByte) {
        return natsPerToken / LN2 * tokensPerByte;
    }

    /** The train rows' loss in bits per byte, against {@code x}; empty when no row trained or tokens per byte is unknown. */
    static List<Series> train(String name, List<Row> rows, double trainTokensPerByte, ToDoubleFunction<Row> x) {
        List<Row> trained = rows.stream().filter(Row::trained).toList();
        if (trained.isEmpty() || !(trainTokensPerByte > 0)) return List.of();
        return List.of(new Series(name, trained.stream().mapToDouble(x).toArray(),
                trained.stream().mapToDouble(r -> bitsPerByte(r.trainLoss(), trainTokensPerByte)).toArray()));
    }

    /** The evaluation rows' val bits per byte against {@code x}; empty when none. */
    static List<Series> val(String name, List<Row> rows, ToDoubleFunction<Row> x) {
        List<Row> evaluated = rows.stream().filter(Row::evaluated).toList();
        if (evaluated.isEmpty()) return List.of();
        return List.of(new Series(name, evaluated.stream().mapToDouble(x).toArray(), evaluated.stream().mapToDouble(Row::valBpb).toArray()));
    }

    /**
     * Every seed of one candidate on one chart against steps: val bits per byte solid, train dashed, a
     * colour per seed, so that the spread between seeds reads at a glance.
     */
    public static String seedsChart(String candidate, List<Seed> seeds) throws IOException {
        List<Series> series = new ArrayList<>();
        for (int i = 0; i < seeds.size(); i++) {
            Seed s = seeds.get(i);
            List<Row> rows = TrainLogRows.read(s.modelDir().resolve(TrainLog.FILE));
            for (Series v : val("seed " + s.seed() + " val", rows, Row::step)) series.add(v.inColor(i));
            for (Series t : train("seed " + s.seed() + " train", rows, s.trainTokensPerByte(), Row::step)) series.add(t.inColor(i).asDashed());
        }
        if (series.isEmpty()) throw new IllegalArgumentException(candidate + ": no seed has a train log with rows");
        return SvgChart.line(ChartSpec.of(candidate + ": " + seeds.size() + " seed(s)", "step", "bits per byte"), series);
    }
}
