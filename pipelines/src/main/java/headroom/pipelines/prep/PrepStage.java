package headroom.pipelines.prep;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.typesafe.config.Config;
import headroom.pipelines.conf.ConfException;
import headroom.pipelines.conf.HeadroomConf;
import headroom.pipelines.run.Stage;
import headroom.pipelines.run.StageContext;
import headroom.pipelines.spark.Progress;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;

import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

/**
 * prep: raw text files to a deduplicated, split corpus.
 * <pre>
 * corpus/train/, corpus/val/ (, corpus/test/)  Parquet: doc_id, text, bytes, source, position, meta
 * corpus/quarantine/                         Parquet: source, position, reason, detail, raw (the bytes as read)
 * corpus/stats.json                          documents and bytes per split, duplicates, quarantine by reason, throughput
 * </pre>
 */
public final class PrepStage implements Stage {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PrepStage.class);
    public static final String NAME = "prep";
    public static final String OUTPUT = "corpus";
    static final String CODE_VERSION = "prep/1";
    /** Quarantined records up to this size are kept whole; longer ones keep their first bytes. */
    static final int KEEP_BYTES = 32 << 20;

    static final StructType RAW = new StructType(new StructField[]{
            DataTypes.createStructField("source", DataTypes.StringType, false),
            DataTypes.createStructField("position", DataTypes.LongType, false),
            DataTypes.createStructField("raw", DataTypes.BinaryType, true),
            DataTypes.createStructField("meta", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType), false),
            DataTypes.createStructField("problem", DataTypes.StringType, true),
            DataTypes.createStructField("detail", DataTypes.StringType, true)});

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

    public PrepStage(SparkSession spark, Config config) {
        this.spark = spark;
        this.config = config;
        this.conf = PrepConf.from(config);
        this.listing = InputFiles.list(conf.inputs(), spark.sparkContext().hadoopConfiguration());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String codeVersion() {
        return CODE_VERSION;
    }

    @Override
    public String confSnapshot() {
        return HeadroomConf.render(config, PrepConf.SECTION);
    }

    @Override
    public Map<String, String> inputFingerprints() {
        return listing.fingerprints();
    }

    @Override
    public List<String> outputs() {
        return List.of(OUTPUT);
    }

    public PrepConf conf() {
        return conf;
    }

    @Override
    public Map<String, Object> execute(StageContext context) throws Exception {
        long start = System.nanoTime();
        java.nio.file.Path out = context.staging(OUTPUT);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        LongAccumulator docsRead = jsc.sc().longAccumulator("prep docs read");
        LongAccumulator bytesRead = jsc.sc().longAccumulator("prep bytes read");
        LongAccumulator filesRead = jsc.sc().longAccumulator("prep files read");
        int files = listing.files().size();
        int partitions = conf.partitions() > 0 ? conf.partitions() : 2 * jsc.defaultParallelism();
        spark.sparkContext().setJobGroup("headroom-prep", "prep: reading " + files + " file(s)", false);

        Dataset<Row> judged;
        try (Progress ignored = Progress.every(5, () -> String.format("prep: %d/%d files read, %,d docs, %s decompressed, %.1f MB/s",
                filesRead.value(), files, docsRead.value(), Progress.mb(bytesRead.value()),
                bytesRead.value() / 1e6 / ((System.nanoTime() - start) / 1e9)))) {
            Dataset<Row> raw = readRaw(jsc, docsRead, bytesRead, filesRead);
            DocumentValidator validator = new DocumentValidator(conf.maxDocBytes(), conf.normalize(), conf.split());
            judged = raw.repartition(partitions)
                    .mapPartitions((org.apache.spark.api.java.function.MapPartitionsFunction<Row, Row>) rows -> judge(rows, validator), Encoders.row(JUDGED))
                    .persist(StorageLevel.MEMORY_AND_DISK());

            judged.filter(col("reason").isNotNull())
                    .select("source", "position", "reason", "detail", "raw")
                    .write().parquet(out.resolve("quarantine").toString());
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
                    .write().partitionBy("split").parquet(out.resolve("splits").toString());
            LOG.info("prep: deduplicated and wrote the splits in {} s", seconds(dedupStart));

            Map<String, Object> stats = stats(out, judged, unique, start, bytesRead.value());
            unique.unpersist();
            judged.unpersist();
            return stats;
        } finally {
            spark.sparkContext().clearJobGroup();
        }
    }

    private static String seconds(long startNanos) {
        return String.format("%.1f", (System.nanoTime() - startNanos) / 1e9);
    }

    /** Every input file as RAW rows: .txt/.jsonl through {@link DocumentReader}, .parquet through Spark's reader. */
    private Dataset<Row> readRaw(JavaSparkContext jsc, LongAccumulator docsRead, LongAccumulator bytesRead, LongAccumulator filesRead) {
        List<InputFiles.InputFile> textFiles = new ArrayList<>();
        List<String> parquetFiles = new ArrayList<>();
        for (InputFiles.InputFile f : listing.files()) {
            if (f.format().kind() == InputFormat.Kind.PARQUET) parquetFiles.add(f.path());
            else textFiles.add(f);
        }
        PrepConf.TxtMode mode = conf.txtMode();
        String textField = conf.textColumn();
        Dataset<Row> result = spark.createDataFrame(jsc.emptyRDD(), RAW);
        if (!textFiles.isEmpty()) {
            JavaRDD<Row> rows = jsc.parallelize(textFiles, textFiles.size()).flatMap(f -> {
                Path path = new Path(f.path());
                FileSystem fs = path.getFileSystem(new org.apache.hadoop.conf.Configuration());
                InputStream in = fs.open(path);
                DocumentReader reader = new DocumentReader(f.path(), in, f.format(), mode, textField, KEEP_BYTES);
                return new CountingIterator(reader, docsRead, bytesRead, filesRead);
            });
            result = result.union(spark.createDataFrame(rows, RAW));
        }
        if (!parquetFiles.isEmpty()) result = result.union(readParquet(parquetFiles, textField));
        return result;
    }

    private Dataset<Row> readParquet(List<String> files, String textColumn) {
        Dataset<Row> df = spark.read().parquet(files.toArray(String[]::new));
        StructField text = java.util.Arrays.stream(df.schema().fields()).filter(f -> f.name().equals(textColumn)).findFirst()
                .orElseThrow(() -> new ConfException("conf key headroom.prep.text-column = \"" + textColumn + "\": the Parquet input "
                        + files.get(0) + " has no such column; its columns are " + List.of(df.columns())));
        if (!(text.dataType() instanceof org.apache.spark.sql.types.StringType) && text.dataType() != DataTypes.BinaryType) {
            throw new ConfException("conf key headroom.prep.text-column = \"" + textColumn + "\": the column is "
                    + text.dataType().simpleString() + " in " + files.get(0) + ", it must be a string");
        }
        List<Column> metaEntries = new ArrayList<>();
        for (String c : df.columns()) {
            if (c.equals(textColumn)) continue;
            metaEntries.add(lit(c));
            metaEntries.add(col("`" + c + "`").cast("string"));
        }
        Column metaMap = metaEntries.isEmpty() ? expr("cast(map() as map<string,string>)")
                : org.apache.spark.sql.functions.map_filter(org.apache.spark.sql.functions.map(metaEntries.toArray(Column[]::new)), (k, v) -> v.isNotNull());
        Column raw = col("`" + textColumn + "`").cast("binary");
        return df.select(
                col("_metadata.file_path").as("source"),
                col("_metadata.row_index").plus(1).as("position"),
                raw.as("raw"),
                metaMap.as("meta"),
                org.apache.spark.sql.functions.when(raw.isNull(), lit(Quarantine.NO_TEXT_FIELD.name())).as("problem"),
                org.apache.spark.sql.functions.when(raw.isNull(), lit("the text column \"" + textColumn + "\" is null")).as("detail"));
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

    private Map<String, Object> stats(java.nio.file.Path out, Dataset<Row> judged, Dataset<Row> unique,
                                      long start, long decompressedBytes) throws java.io.IOException {
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
        java.nio.file.Path splits = out.resolve("splits");
        for (String name : perSplit.keySet()) {
            java.nio.file.Path from = splits.resolve("split=" + name);
            if (Files.isDirectory(from)) Files.move(from, out.resolve(name));
            else spark.createDataFrame(List.of(), corpusSchema()).write().parquet(out.resolve(name).toString());
        }
        headroom.pipelines.run.StageRunner.deleteTree(splits);
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
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("stats.json").toFile(), stats);
        org.slf4j.LoggerFactory.getLogger(PrepStage.class).info(
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

    /** Counts documents and decompressed bytes as the reader yields them, for the progress line. */
    private static final class CountingIterator implements Iterator<Row> {
        private final DocumentReader reader;
        private final LongAccumulator docs;
        private final LongAccumulator bytes;
        private final LongAccumulator files;
        private boolean done;

        CountingIterator(DocumentReader reader, LongAccumulator docs, LongAccumulator bytes, LongAccumulator files) {
            this.reader = reader;
            this.docs = docs;
            this.bytes = bytes;
            this.files = files;
        }

        @Override
        public boolean hasNext() {
            boolean more = reader.hasNext();
            if (!more && !done) {
                done = true;
                bytes.add(reader.bytesRead());
                files.add(1);
                reader.close();
            }
            return more;
        }

        @Override
        public Row next() {
            RawDoc d = reader.next();
            docs.add(1);
            return RowFactory.create(d.source(), d.position(), d.raw(),
                    scala.jdk.javaapi.CollectionConverters.asScala(d.meta()),
                    d.problem() == null ? null : d.problem().name(), d.detail());
        }
    }
}
