package headroom.pipelines.prep;

import headroom.core.io.FileTrees;
import headroom.pipelines.run.RunLayout;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

/**
 * {@link RunLayout#corpusStats()} and the manifest's counts: documents and bytes per split, duplicates,
 * quarantine by reason, unreadable files, throughput. Also moves the split folders into place.
 */
final class PrepStats {

    private PrepStats() {
    }

    /** Where prep writes the splits partitioned by Spark ({@code split=train/}, ...) before they move into place. */
    static java.nio.file.Path splits(RunLayout out) {
        return out.corpus().resolve("splits");
    }

    static Map<String, Object> write(SparkSession spark, RunLayout out, PrepConf conf, InputFiles.Listing listing,
                                     Dataset<Row> judged, Dataset<Row> unique, long start, long decompressedBytes) throws java.io.IOException {
        Map<String, Long> quarantined = new TreeMap<>();
        for (Quarantine q : Quarantine.values()) quarantined.put(q.label(), 0L);
        long accepted = 0;
        for (Row r : judged.groupBy("reason").count().collectAsList()) {
            if (r.isNullAt(0)) accepted = r.getLong(1);
            else quarantined.put(r.getString(0), r.getLong(1));
        }
        Map<String, Object> perSplit = new TreeMap<>();
        for (SplitRule.Split s : SplitRule.Split.values()) {
            if (s != SplitRule.Split.TEST || conf.split().testFraction() > 0) perSplit.put(label(s), Map.of("documents", 0L, "bytes", 0L));
        }
        long docs = 0;
        for (Row r : unique.groupBy("split").agg(count(lit(1)), sum("bytes")).collectAsList()) {
            perSplit.put(r.getString(0), Map.of("documents", r.getLong(1), "bytes", r.getLong(2)));
            docs += r.getLong(1);
        }
        // corpus/splits/split=train -> corpus/train: the layout readers expect; an empty split still gets a readable table.
        java.nio.file.Path splits = splits(out);
        for (String name : perSplit.keySet()) {
            java.nio.file.Path from = splits.resolve("split=" + name);
            if (Files.isDirectory(from)) Files.move(from, out.corpus(name));
            else spark.createDataFrame(List.of(), PrepStage.corpusSchema()).write().parquet(out.corpus(name).toString());
        }
        FileTrees.deleteTree(splits);
        long duplicates = accepted - docs;
        double seconds = (System.nanoTime() - start) / 1e9;
        List<Map<String, Object>> unreadable = new ArrayList<>();
        if (quarantined.get(Quarantine.UNREADABLE_FILE.label()) > 0) {
            for (Row r : judged.filter(col("reason").equalTo(Quarantine.UNREADABLE_FILE.label())).select("source", "detail").collectAsList()) {
                unreadable.add(Map.of("file", r.getString(0), "detail", r.getString(1)));
            }
        }
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("splits", perSplit);
        stats.put("documents", docs);
        stats.put("duplicates_removed", duplicates);
        stats.put("quarantined", quarantined);
        stats.put("quarantined_total", quarantined.values().stream().mapToLong(Long::longValue).sum());
        stats.put("unreadable_files", unreadable);
        stats.put("input_files", listing.files().size());
        stats.put("ignored_files", listing.ignored());
        stats.put("input_file_bytes", listing.totalBytes());
        stats.put("decompressed_bytes", decompressedBytes);
        stats.put("normalization", label(conf.normalize()));
        stats.put("seconds", Math.round(seconds * 100) / 100.0);
        stats.put("mb_per_second", Math.round(decompressedBytes / 1e6 / seconds * 100) / 100.0);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.corpusStats().toFile(), stats);
        org.slf4j.LoggerFactory.getLogger(PrepStats.class).info(
                "prep: {} documents {}, {} duplicates removed, {} quarantined {}, {} MB/s",
                docs, perSplit, duplicates, stats.get("quarantined_total"), quarantined, stats.get("mb_per_second"));
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("documents", docs);
        counts.put("splits", perSplit);
        counts.put("duplicates_removed", duplicates);
        counts.put("quarantined", stats.get("quarantined_total"));
        counts.put("normalization", stats.get("normalization"));
        return counts;
    }

    private static String label(Enum<?> e) {
        return e.name().toLowerCase(java.util.Locale.ROOT);
    }
}
