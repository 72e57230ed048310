package headroom.pipelines.prep;

import headroom.pipelines.conf.ConfException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;

import java.io.InputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

/**
 * Every input file of a listing as one table of {@link #RAW} rows, before any check: .txt/.jsonl
 * through {@link DocumentReader} (one task per file), .parquet through Spark's reader.
 */
final class RawInput {

    /** Quarantined records up to this size are kept whole; longer ones keep their first bytes. */
    static final int KEEP_BYTES = 32 << 20;

    static final StructType RAW = new StructType(new StructField[]{
            DataTypes.createStructField("source", DataTypes.StringType, false),
            DataTypes.createStructField("position", DataTypes.LongType, false),
            DataTypes.createStructField("raw", DataTypes.BinaryType, true),
            DataTypes.createStructField("meta", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType), false),
            DataTypes.createStructField("problem", DataTypes.StringType, true),
            DataTypes.createStructField("detail", DataTypes.StringType, true)});

    /** What the progress line reads while files are being read. */
    record Counters(LongAccumulator docs, LongAccumulator bytes, LongAccumulator files) implements Serializable {
        static Counters register(SparkSession spark) {
            var sc = spark.sparkContext();
            return new Counters(sc.longAccumulator("prep docs read"), sc.longAccumulator("prep bytes read"), sc.longAccumulator("prep files read"));
        }
    }

    private RawInput() {
    }

    /** Every input file as RAW rows: .txt/.jsonl through {@link DocumentReader}, .parquet through Spark's reader. */
    static Dataset<Row> read(SparkSession spark, InputFiles.Listing listing, PrepConf conf, Counters counters) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        LongAccumulator docsRead = counters.docs();
        LongAccumulator bytesRead = counters.bytes();
        LongAccumulator filesRead = counters.files();
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
        if (!parquetFiles.isEmpty()) result = result.union(readParquet(spark, parquetFiles, textField));
        return result;
    }

    private static Dataset<Row> readParquet(SparkSession spark, List<String> files, String textColumn) {
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
