package headroom.pipelines.sweep;

import headroom.tokenizer.ByteLevel;
import headroom.tokenizer.Bytes;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Tuple2;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Counts pre-tokens (the GPT-4-style split) of the train split on the cluster, then brings the
 * most frequent ones to the driver for the BPE trainer. The cap is explicit and its cost is
 * measured: the share of train bytes whose pre-tokens did not make it.
 */
final class PieceCounter {

    /** The trainer's input and what the cap cost. */
    record Counts(Map<Bytes, Long> counts, long distinct, long kept, long trainBytes, long droppedBytes, long documents) {
        double droppedShare() {
            return trainBytes == 0 ? 0 : (double) droppedBytes / trainBytes;
        }
    }

    private PieceCounter() {
    }

    static Counts count(Dataset<Row> train, int maxDistinct, long minCount) {
        // Count per partition in a local map first: far fewer records to shuffle than one per piece.
        JavaPairRDD<String, Long> perPiece = train.select("text").javaRDD().mapPartitionsToPair((Iterator<Row> rows) -> {
            Map<String, Long> local = new HashMap<>();
            while (rows.hasNext()) {
                for (String piece : ByteLevel.pieces(rows.next().getString(0))) local.merge(piece, 1L, Long::sum);
            }
            return local.entrySet().stream().map(e -> new Tuple2<>(e.getKey(), e.getValue())).iterator();
        }).reduceByKey(Long::sum).cache();
        try {
            // (distinct pieces, train bytes) in one pass; the documents come from the same table.
            Tuple2<Long, Long> totals = perPiece.map(t -> new Tuple2<>(1L, t._2 * utf8Length(t._1)))
                    .reduce((a, b) -> new Tuple2<>(a._1 + b._1, a._2 + b._2));
            JavaPairRDD<String, Long> frequent = perPiece.filter(t -> t._2 >= minCount);
            // Under the cap (the usual case) every piece is kept: a plain collect. Only a binding cap needs
            // the bounded top-k, whose per-partition priority queues cost far more than the collect.
            List<Tuple2<String, Long>> top = totals._1 <= maxDistinct ? frequent.collect()
                    : frequent.top(maxDistinct, new ByCountThenPiece());
            Map<Bytes, Long> counts = new HashMap<>(top.size() * 2);
            long keptBytes = 0;
            for (Tuple2<String, Long> t : top) {
                Bytes b = Bytes.of(t._1);
                counts.put(b, t._2);
                keptBytes += t._2 * b.length();
            }
            return new Counts(counts, totals._1, top.size(), totals._2, totals._2 - keptBytes, train.count());
        } finally {
            perPiece.unpersist(false);
        }
    }

    private static long utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Most frequent first; ties by piece, so the cap keeps the same pieces on every run. */
    static final class ByCountThenPiece implements java.util.Comparator<Tuple2<String, Long>>, java.io.Serializable {
        @Override
        public int compare(Tuple2<String, Long> a, Tuple2<String, Long> b) {
            int c = Long.compare(a._2, b._2);
            return c != 0 ? c : b._1.compareTo(a._1);
        }
    }
}
