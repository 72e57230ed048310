package headroom.pipelines.score;

import headroom.pipelines.spark.Progress;
import headroom.scoring.ScoreRows.LeaderboardRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;

/**
 * The score stage's progress: one line per finished (model, plan) with the stage's ETA at the rate seen so far (elapsed
 * per finished artifact, so the scoring at once is counted in, whichever process scores).
 * <pre>
 * score: 3/8 | v512-tied-d64-1x2-s1337__emb-int8_attn-int8_mlp-int8_norm-fp16.hra | bpb post 1.8721 | 41.3 s | stage eta 1m10s
 * </pre>
 */
final class ScoreProgress {

    private static final Logger LOG = LoggerFactory.getLogger("headroom.progress");

    private final int total;
    private final long start = System.nanoTime();
    private int done;

    ScoreProgress(int total) {
        this.total = total;
    }

    /** Logs one finished artifact; {@code where} says which attempt and executor scored it ("" in the driver). */
    synchronized void done(LeaderboardRow row, double seconds, String where) {
        done++;
        double elapsed = (System.nanoTime() - start) / 1e9;
        LOG.info(String.format(Locale.ROOT, "score: %d/%d | %s | bpb post %.4f | %.1f s%s | stage eta %s", done, total, row.artifact(), row.bpbPost(),
                seconds, where, Progress.duration(elapsed / done * (total - done))));
    }
}
