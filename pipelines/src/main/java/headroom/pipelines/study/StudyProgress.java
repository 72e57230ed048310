package headroom.pipelines.study;

import java.util.List;
import java.util.Locale;

/**
 * Progress over the whole design: runs done, elapsed time and an ETA. Training cost is taken as
 * proportional to (trunk parameters x loops + head parameters) x training tokens (the forward and
 * backward FLOPs), calibrated on the runs trained in this session; runs skipped as finished cost nothing.
 */
final class StudyProgress {

    private final double[] cost;
    private final long start = System.nanoTime();
    private double trainedCost;
    private double trainedSeconds;
    private int done;
    private int skipped;

    /** {@code trainingTokens}: what each run's budget buys it (runs at a larger budget cost more). */
    StudyProgress(List<StudyDesign.Run> runs, int loops, java.util.function.ToDoubleFunction<StudyDesign.Run> trainingTokens) {
        cost = runs.stream().mapToDouble(r -> ((r.candidate().parameters() - r.candidate().headParameters()) * (double) loops
                + r.candidate().headParameters()) * trainingTokens.applyAsDouble(r)).toArray();
    }

    void finished(int index, boolean wasSkipped, double seconds) {
        done++;
        if (wasSkipped) {
            skipped++;
        } else {
            trainedCost += cost[index];
            trainedSeconds += seconds;
        }
    }

    /** {@code study 5/32 | 4 done (3 already finished) | 6m12s elapsed | ETA 21m05s}: the line before run {@code index}. */
    String line(int index, String name) {
        double remaining = 0;
        for (int i = index; i < cost.length; i++) remaining += cost[i];
        String eta = trainedCost > 0 ? duration(remaining * trainedSeconds / trainedCost) : "after the first trained run";
        return String.format(Locale.ROOT, "study %d/%d %s | %d done (%d already finished) | %s elapsed | ETA %s", index + 1, cost.length, name,
                done, skipped, duration((System.nanoTime() - start) / 1e9), eta);
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
