package headroom.pipelines.nightly;

import headroom.model.CandidateNames;
import headroom.pipelines.run.RunLayout;
import headroom.pipelines.run.Manifest;
import headroom.pipelines.run.StageRecord;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The numbers one night is judged by, flattened to {@code name -> value}: tokens per byte per
 * vocabulary size, the candidates' estimated bytes, the sweep's wall time and, when the night
 * scored models, each candidate's post-roundtrip bits per byte.
 */
public record NightMetrics(Map<String, Double> values) {

    public enum Kind {
        TOKENS_PER_BYTE, ESTIMATED_BYTES, SECONDS, BPB;

        static Kind of(String metric) {
            if (metric.startsWith("val_tokens_per_byte") || metric.startsWith("heldout_tokens_per_byte")) return TOKENS_PER_BYTE;
            if (metric.startsWith("estimated_bytes")) return ESTIMATED_BYTES;
            if (metric.startsWith("seconds")) return SECONDS;
            return BPB;
        }
    }

    public static NightMetrics read(SparkSession spark, Path runDir) {
        Map<String, Double> m = new TreeMap<>();
        RunLayout run = new RunLayout(runDir);
        for (Row r : spark.read().parquet(RunLayout.parquet(run.vocabMetrics()).toString()).collectAsList()) {
            String v = CandidateNames.vocab(r.getInt(r.fieldIndex("vocab_size")));
            put(m, "val_tokens_per_byte[" + v + "]", r.getDouble(r.fieldIndex("val_tokens_per_byte")));
            put(m, "heldout_tokens_per_byte[" + v + "]", r.getDouble(r.fieldIndex("heldout_tokens_per_byte")));
        }
        for (Row r : spark.read().parquet(RunLayout.parquet(run.candidates()).toString()).collectAsList()) {
            if (!r.getString(r.fieldIndex("role")).isEmpty()) continue; // the hypothesis design's rows repeat the per-vocabulary ones
            String key = CandidateNames.vocab(r.getInt(r.fieldIndex("vocab_size"))) + "-" + r.getString(r.fieldIndex("head_mode"));
            put(m, "estimated_bytes[" + key + "]", r.getLong(r.fieldIndex("estimated_bytes")));
        }
        Manifest.load(runDir).stage("sweep").filter(s -> s.status() == StageRecord.Status.SUCCEEDED)
                .ifPresent(s -> put(m, "seconds[sweep]", s.seconds()));
        Path leaderboard = RunLayout.parquet(run.leaderboard());
        if (Files.exists(leaderboard)) {
            for (Row r : spark.read().parquet(leaderboard.toString()).collectAsList()) {
                put(m, "bpb[" + r.getString(r.fieldIndex("model")) + " " + r.getString(r.fieldIndex("plan")) + "]",
                        r.getDouble(r.fieldIndex("bpb_post")));
            }
        }
        return new NightMetrics(m);
    }

    private static void put(Map<String, Double> m, String key, double value) {
        if (!Double.isNaN(value)) m.put(key, value);
    }
}
