package headroom.pipelines.score;

import headroom.pipelines.conf.ConfException;
import headroom.pipelines.run.RunLayout;
import headroom.scoring.baseline.NgramFloor;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.apache.spark.sql.functions.col;

/**
 * The score stage's n-gram floor ({@link NgramFloor}): the train split read from the corpus as val is, in doc_id order
 * and only as far as headroom.score.ngram.max-train-bytes reaches, measured on the driver; its summary entry and label.
 */
final class NgramBaseline {

    private NgramBaseline() {
    }

    static NgramFloor.Result measure(SparkSession spark, RunLayout run, NgramConf conf, List<String> val, List<String> heldout) {
        List<String> train = trainTexts(spark, run, conf.floor().maxTrainBytes());
        try {
            return NgramFloor.measure(train, val, heldout, conf.floor());
        } catch (IllegalArgumentException e) {
            // the train split does not suit the settings: a single document, or a first document over the cap
            throw new ConfException("headroom.score.ngram: " + e.getMessage() + "; raise headroom.score.ngram.max-train-bytes, or set "
                    + "headroom.score.ngram.enabled = false");
        }
    }

    /** "byte 8-gram (KN)": how the floor stands among the baselines. */
    static String label(NgramFloor.Result floor) {
        return "byte " + floor.order() + "-gram (KN)";
    }

    /** What summary.json records of the floor. */
    static Map<String, Object> summary(NgramFloor.Result floor, NgramConf conf) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", "byte-level interpolated modified Kneser-Ney n-gram, 256 bytes + end of document");
        out.put("order", floor.order());
        out.put("holdout_bpb", floor.selection().holdoutBpb());
        out.put("holdout_bpb_by_order", floor.selection().holdoutBpbByOrder());
        out.put("holdout_documents", floor.selection().holdoutDocuments());
        out.put("val_bpb", floor.valBpb());
        out.put("heldout_bpb", Double.isNaN(floor.heldoutBpb()) ? null : floor.heldoutBpb());
        out.put("train_documents", floor.trainDocuments());
        out.put("train_bytes", floor.trainBytes());
        out.put("train_capped", floor.capped());
        out.put("clear_margin", conf.clearMargin());
        out.put("count_bytes", floor.countBytes()); // no seconds: the same conf gives the same summary.json, byte for byte (the log has them)
        return out;
    }

    /** One line for the report: what the floor is, how it was chosen, what it was trained on. */
    static String describe(NgramFloor.Result floor) {
        return String.format(Locale.ROOT, "The floor is a byte-level interpolated modified Kneser-Ney n-gram (256 bytes + end of document, "
                        + "so it pays for document boundaries as the models do), counted on %,d train documents (%,d bytes%s). Its order, %d, "
                        + "was chosen among 1..%d on the last %,d train documents (never val): %.4f bpb there. On val it scores %.4f bpb%s.",
                floor.trainDocuments(), floor.trainBytes(), floor.capped() ? ", the train split cut at headroom.score.ngram.max-train-bytes" : "",
                floor.order(), floor.selection().holdoutBpbByOrder().size(), floor.selection().holdoutDocuments(), floor.selection().holdoutBpb(),
                floor.valBpb(), Double.isNaN(floor.heldoutBpb()) ? "" : String.format(Locale.ROOT, ", on the out-of-domain set %.4f", floor.heldoutBpb()));
    }

    /**
     * The train split in doc_id order up to the first document that reaches past {@code maxBytes} (the floor cuts there
     * and so knows it was cut). The cut-off is found on (doc_id, bytes) alone, so only the text counted reaches the driver.
     */
    static List<String> trainTexts(SparkSession spark, RunLayout run, long maxBytes) {
        Dataset<Row> train = spark.read().parquet(run.corpus("train").toString());
        String last = null;
        long bytes = 0;
        Iterator<Row> ids = train.select("doc_id", "bytes").orderBy("doc_id").toLocalIterator();
        while (ids.hasNext() && bytes <= maxBytes) {
            Row r = ids.next();
            last = r.getString(0);
            bytes += r.getInt(1);
        }
        if (last == null) throw new IllegalStateException("the train split in " + run.corpus() + " is empty: nothing to count the n-gram floor on");
        Dataset<Row> kept = bytes > maxBytes ? train.filter(col("doc_id").leq(last)) : train;
        return kept.orderBy("doc_id").select("text").as(Encoders.STRING()).collectAsList();
    }
}
