package headroom.pipelines.tokenize;

import headroom.pipelines.run.PipelineStage;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.typesafe.config.Config;
import headroom.pipelines.conf.ConfException;
import headroom.pipelines.run.CodeFingerprint;
import headroom.pipelines.run.Manifest;
import headroom.pipelines.run.RunLayout;
import headroom.pipelines.run.Stage;
import headroom.pipelines.run.StageContext;
import headroom.pipelines.run.StageSpec;
import headroom.pipelines.run.StageRecord;
import headroom.pipelines.spark.Progress;
import headroom.pipelines.sweep.SweepStage;
import headroom.pipelines.tokenize.ShardEncoder.WrittenShard;
import headroom.tokenizer.TokenizerJson;
import headroom.tokenizer.shards.ShardManifest;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * tokenize: the corpus's train and val splits encoded with each chosen sweep tokenizer into
 * Arrow token shards, one file per partition, each document {@code [BOS] + ids} in doc_id order. Writes
 * {@link RunLayout#shards()}: per vocabulary size a copy of the sweep's tokenizer (so the shards describe themselves),
 * the token shards of each split (headroom.tokenizer.shards) with their manifest (counts and sha256 per shard), the
 * Parameter Golf shards and val byte sidecar (headroom.tokenize.parameter-golf-export, {@link ParameterGolfExport});
 * and a summary (counts per size and split, timings).
 * Executors write the shards straight into the staging directory, which must therefore be on a
 * file system that every executor sees (local mode, or a shared mount).
 */
public final class TokenizeStage implements Stage {

    public static final String NAME = "tokenize";
    public static final List<String> SPLITS = List.of("train", "val");
    private static final Logger LOG = LoggerFactory.getLogger(TokenizeStage.class);

    private final SparkSession spark;
    private final Config config;
    private final TokenizeConf conf;
    private final List<Integer> vocabSizes;
    private final Map<String, String> inputs = new LinkedHashMap<>();

    /** The stage: planning checks its conf, the sweep's record and that the sweep exported every size it is to encode. */
    public static PipelineStage<TokenizeStage> of(SparkSession spark, Config config) {
        return PipelineStage.of(NAME, run -> new TokenizeStage(spark, config, run.root()));
    }

    private TokenizeStage(SparkSession spark, Config config, Path runDir) {
        this.spark = spark;
        this.config = config;
        this.conf = TokenizeConf.from(config);
        StageRecord sweep = Manifest.load(runDir).stage(SweepStage.NAME)
                .filter(r -> r.status() == StageRecord.Status.SUCCEEDED)
                .orElseThrow(() -> new ConfException("tokenize needs the sweep's tokenizers in " + runDir + ": run 'headroom sweep' first"));
        this.vocabSizes = TokenizeSizes.resolve(conf, new RunLayout(runDir));
        inputs.put("sweep", sweep.fingerprint());
        inputs.put("vocab-sizes", vocabSizes.toString());
    }

    /** The sizes this stage encodes: the conf's and the candidates', resolved against the sweep. */
    public List<Integer> vocabSizes() {
        return vocabSizes;
    }

    @Override
    public StageSpec spec() {
        return new StageSpec(NAME, CodeFingerprint.of(TokenizeStage.class), TokenizeConf.snapshot(config), inputs, List.of(RunLayout.RELATIVE.shards().toString()));
    }

    @Override
    public Map<String, Object> execute(StageContext context) throws Exception {
        RunLayout out = context.staged();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Map<Integer, byte[]> tokenizers = new LinkedHashMap<>();
        Map<Integer, Integer> bosIds = new LinkedHashMap<>();
        for (int v : vocabSizes) {
            Path json = context.finished().tokenizerJson(v);
            for (String split : SPLITS) Files.createDirectories(out.shards(v, split));
            if (conf.parameterGolfExport()) Files.createDirectories(out.parameterGolf(v));
            Files.copy(json, out.shardsTokenizerJson(v));
            tokenizers.put(v, Files.readAllBytes(json));
            bosIds.put(v, TokenizerJson.read(json).bosId());
        }
        Broadcast<LinkedHashMap<Integer, byte[]>> files = jsc.broadcast(new LinkedHashMap<>(tokenizers));
        int partitions = conf.partitions(jsc.defaultParallelism());
        List<SplitTotals> totals = new ArrayList<>();
        Map<String, Object> timing = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        for (String split : SPLITS) {
            ShardEncoder.Job job = new ShardEncoder.Job(split, out.root().toAbsolutePath().toString(), vocabSizes, conf.parameterGolfExport());
            ShardEncoder.Counters counters = new ShardEncoder.Counters(
                    spark.sparkContext().longAccumulator("tokenize " + split + " documents"),
                    spark.sparkContext().longAccumulator("tokenize " + split + " bytes"),
                    spark.sparkContext().longAccumulator("tokenize " + split + " encode nanos"));
            long t1 = System.nanoTime();
            List<WrittenShard> written;
            try (Progress p = Progress.every(5, () -> progressLine(split, counters, t1))) {
                written = encodeSplit(docs(context, split, partitions), job, files, counters);
            }
            double seconds = (System.nanoTime() - t1) / 1e9;
            List<SplitTotals> splitTotals = writeManifests(out, split, written, bosIds, conf.parameterGolfExport());
            totals.addAll(splitTotals);
            timing.put(split, SummaryJson.timing(splitTotals, seconds, counters.encodeNanos().value() / 1e9));
            LOG.info("tokenize: {} | {} sizes | {} docs | {} | {}s", split, vocabSizes.size(), counters.documents().value(),
                    Progress.mb(counters.textBytes().value()), String.format("%.2f", seconds));
        }
        files.destroy();
        Map<String, Object> summary = SummaryJson.of(vocabSizes, conf.parameterGolfExport(), partitions, totals, timing,
                (System.nanoTime() - t0) / 1e9);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.shardsSummary().toFile(), summary);
        return summary;
    }

    /** The split's (doc_id, text) pairs in doc_id order, cut into ranges that depend only on the doc_ids, so shard p precedes shard p+1. */
    private JavaPairRDD<String, String> docs(StageContext context, String split, int partitions) {
        Dataset<Row> corpus = spark.read().parquet(context.finished().corpus(split).toString());
        DocIdRanges ranges = DocIdRanges.of(corpus.select("doc_id").as(Encoders.STRING()).javaRDD(), partitions);
        return corpus.select("doc_id", "text").javaRDD()
                .mapToPair(r -> new Tuple2<>(r.getString(0), r.getString(1)))
                .repartitionAndSortWithinPartitions(ranges);
    }

    /** Static, so the task closure holds only the job, the broadcast and the counters. */
    private static List<WrittenShard> encodeSplit(JavaPairRDD<String, String> docs, ShardEncoder.Job job,
                                                  Broadcast<LinkedHashMap<Integer, byte[]>> files, ShardEncoder.Counters counters) {
        // zipWithIndex gives each document its position in the split; its counting pass reuses the shuffle
        return docs.zipWithIndex()
                .mapPartitionsWithIndex((partition, it) -> ShardEncoder.encode(job, files.value(), counters, partition, it).iterator(), false)
                .collect();
    }

    private static List<SplitTotals> writeManifests(RunLayout out, String split, List<WrittenShard> written, Map<Integer, Integer> bosIds,
                                                    boolean parameterGolf) throws java.io.IOException {
        List<SplitTotals> totals = new ArrayList<>();
        for (Map.Entry<Integer, Integer> v : bosIds.entrySet()) {
            List<WrittenShard> shards = written.stream().filter(w -> w.vocabSize() == v.getKey())
                    .sorted(Comparator.comparingInt(WrittenShard::partition)).toList();
            ShardManifest manifest = ShardManifest.of(v.getKey(), v.getValue(), split, shards.stream().map(WrittenShard::summary).toList());
            manifest.write(out.shards(v.getKey(), split));
            if (parameterGolf) {
                ParameterGolfExport.renumber(out.parameterGolf(v.getKey()), split,
                        shards.stream().map(WrittenShard::partition).toList());
            }
            totals.add(SplitTotals.of(manifest, parameterGolf ? shards.size() : 0));
        }
        return totals;
    }

    private static String progressLine(String split, ShardEncoder.Counters counters, long startNanos) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        long bytes = counters.textBytes().value();
        return String.format("tokenize: %s | %d docs | %s | %.2f MB/s (counted as partitions finish)",
                split, counters.documents().value(), Progress.mb(bytes), bytes / 1e6 / Math.max(seconds, 1e-9));
    }
}
