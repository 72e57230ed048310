package headroom.pipelines.prep;

import headroom.pipelines.run.PipelineStage;
import com.typesafe.config.Config;
import headroom.pipelines.conf.HeadroomConf;
import headroom.pipelines.run.CodeFingerprint;
import headroom.pipelines.run.RunLayout;
import headroom.pipelines.run.Stage;
import headroom.pipelines.run.StageContext;
import headroom.pipelines.run.StageSpec;
import headroom.pipelines.spark.Progress;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;

/**
 * prep: raw text files to a deduplicated, split corpus ({@link RunLayout#corpus()}): the splits as Parquet (doc_id, text,
 * bytes, source, position, meta), the quarantine (source, position, reason, detail, raw: the bytes as read), and stats
 * (documents and bytes per split, duplicates, quarantine by reason, throughput).
 */
public final class PrepStage implements Stage {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PrepStage.class);
    public static final String NAME = "prep";
    static final StructType JUDGED = new StructType(new StructField[]{
            DataTypes.createStructField("doc_id", DataTypes.StringType, true),
            DataTypes.createStructField("text", DataTypes.StringType, true),
            DataTypes.createStructField("bytes", DataTypes.IntegerType, false),
            DataTypes.createStructField("split", DataTypes.StringType, true),
            DataTypes.createStructField("source", DataTypes.StringType, false),
            DataTypes.createStructField("position", DataTypes.LongType, false),
            DataTypes.createStructField("meta", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType), false),
            DataTypes.createStructField("reason", DataTypes.StringType, true),
            DataTypes.createStructField("detail", DataTypes.StringType, true),
            DataTypes.createStructField("raw", DataTypes.BinaryType, true)});

    private final SparkSession spark;
    private final Config config;
    private final PrepConf conf;
    private final InputFiles.Listing listing;

    /** The stage: planning reads and checks its conf section and lists the input files. */
    public static PipelineStage<PrepStage> of(SparkSession spark, Config config) {
        return PipelineStage.of(NAME, run -> new PrepStage(spark, config));
    }

    private PrepStage(SparkSession spark, Config config) {
        this.spark = spark;
        this.config = config;
        this.conf = PrepConf.from(config);
        this.listing = InputFiles.list(conf.inputs(), spark.sparkContext().hadoopConfiguration());
    }

    @Override
    public StageSpec spec() {
        return new StageSpec(NAME, CodeFingerprint.of(PrepStage.class), HeadroomConf.render(config, PrepConf.SECTION), listing.fingerprints(), List.of(RunLayout.RELATIVE.corpus().toString()));
    }

    public PrepConf conf() {
        return conf;
    }

    @Override
    public Map<String, Object> execute(StageContext context) throws Exception {
        long start = System.nanoTime();
        RunLayout out = context.staged();
        RawInput.Counters counters = RawInput.Counters.register(spark);
        int files = listing.files().size();
        int partitions = conf.partitions() > 0 ? conf.partitions() : 2 * spark.sparkContext().defaultParallelism();
        Dataset<Row> judged;
        try (Progress ignored = Progress.every(5, () -> String.format("prep: %d/%d files read, %,d docs, %s decompressed, %.1f MB/s",
                counters.files().value(), files, counters.docs().value(), Progress.mb(counters.bytes().value()),
                counters.bytes().value() / 1e6 / ((System.nanoTime() - start) / 1e9)))) {
            Dataset<Row> raw = RawInput.read(spark, listing, conf, counters);
            DocumentValidator validator = new DocumentValidator(conf.maxDocBytes(), conf.normalize(), conf.split());
            // Checked where it is read (a file per task): the one shuffle of the corpus is the dedup's, by doc_id.
            judged = raw
                    .mapPartitions((org.apache.spark.api.java.function.MapPartitionsFunction<Row, Row>) rows -> judge(rows, validator), Encoders.row(JUDGED))
                    .persist(StorageLevel.MEMORY_AND_DISK());

            judged.filter(col("reason").isNotNull())
                    .select("source", "position", "reason", "detail", "raw")
                    .write().parquet(out.quarantine().toString());
            LOG.info("prep: read and checked {} file(s) in {} s", files, seconds(start));

            long dedupStart = System.nanoTime();
            // Partitioned by doc_id once: the aggregation below then needs no shuffle of its own.
            Dataset<Row> unique = judged.filter(col("reason").isNull()).repartition(partitions, col("doc_id")).groupBy("doc_id").agg(
                    first("text").as("text"), first("bytes").as("bytes"), first("split").as("split"),
                    // Among duplicates keep the first by (source, position): deterministic for a given set of files.
                    expr("min_by(struct(source, position, meta), struct(source, position))").as("origin"),
                    count(lit(1)).as("copies"))
                    .sortWithinPartitions("doc_id")
                    .persist(StorageLevel.MEMORY_AND_DISK());
            unique.select(col("doc_id"), col("text"), col("bytes"), col("origin.source").as("source"),
                            col("origin.position").as("position"), col("origin.meta").as("meta"), col("split"))
                    .write().partitionBy("split").parquet(PrepStats.splits(out).toString());
            LOG.info("prep: deduplicated and wrote the splits in {} s", seconds(dedupStart));

            Map<String, Object> stats = PrepStats.write(spark, out, conf, listing, judged, unique, start, counters.bytes().value());
            unique.unpersist();
            judged.unpersist();
            return stats;
        }
    }

    private static String seconds(long startNanos) {
        return String.format("%.1f", (System.nanoTime() - startNanos) / 1e9);
    }

    private static Iterator<Row> judge(Iterator<Row> rows, DocumentValidator validator) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public Row next() {
                Row r = rows.next();
                String problem = r.getString(4);
                Map<String, String> meta = r.getJavaMap(3);
                RawDoc doc = new RawDoc(r.getString(0), r.getLong(1), r.isNullAt(2) ? new byte[0] : (byte[]) r.get(2), meta,
                        problem == null ? null : Quarantine.valueOf(problem), r.getString(5));
                DocumentValidator.Verdict v = validator.judge(doc);
                scala.collection.Map<String, String> metaScala = scala.jdk.javaapi.CollectionConverters.asScala(meta);
                if (v.accepted()) {
                    return RowFactory.create(v.docId(), v.text(), v.bytes(), v.split().name().toLowerCase(java.util.Locale.ROOT),
                            doc.source(), doc.position(), metaScala, null, null, null);
                }
                return RowFactory.create(null, null, doc.raw().length, null, doc.source(), doc.position(), metaScala,
                        v.reason().label(), v.detail(), doc.raw());
            }
        };
    }


    /** The schema of corpus/{train,val,test}. */
    public static StructType corpusSchema() {
        return new StructType(new StructField[]{
                DataTypes.createStructField("doc_id", DataTypes.StringType, false),
                DataTypes.createStructField("text", DataTypes.StringType, false),
                DataTypes.createStructField("bytes", DataTypes.IntegerType, false),
                DataTypes.createStructField("source", DataTypes.StringType, false),
                DataTypes.createStructField("position", DataTypes.LongType, false),
                DataTypes.createStructField("meta", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType), false)});
    }

}
