package headroom.pipelines.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import headroom.pipelines.DemoSlice;
import headroom.pipelines.Headroom;
import headroom.pipelines.SparkTestBase;
import headroom.tokenizer.ByteAudit;
import headroom.tokenizer.ByteLevel;
import headroom.tokenizer.Bytes;
import headroom.tokenizer.HfEncoder;
import headroom.tokenizer.TokenizerJson;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SweepStageTest extends SparkTestBase {

    @TempDir
    static Path tmp;
    static Path run;
    static Config conf;

    static Config conf(Path corpus, String... extra) {
        List<String> o = new java.util.ArrayList<>(List.of("prep.inputs=[\"" + corpus + "\"]", "prep.split.val-fraction=0.1",
                "sweep.vocab-sizes=[257, 512, 1024, 2048]", "sweep.reference-tokenizers=[cl100k_base]",
                "sweep.budget.cap-bytes=300000", "sweep.budget.widths=[64, 128]", "model.head-size=16"));
        o.addAll(List.of(extra));
        return Headroom.conf(null, o.toArray(String[]::new));
    }

    @BeforeAll
    static void sweepADemoSlice() throws Exception {
        conf = conf(DemoSlice.write(tmp.resolve("in"), 2500));
        run = tmp.resolve("run");
        Headroom.prep(spark(), conf, run, false);
        Headroom.sweep(spark(), conf, run, false);
    }

    private static List<String> texts(String split) {
        return Headroom.corpus(spark(), run, split).orderBy("doc_id").select("text").collectAsList().stream().map(r -> r.getString(0)).toList();
    }

    @Test
    void theTrainersExactCountsEqualWhatDjlEncodesAtEverySize() throws Exception {
        List<String> train = texts("train");
        List<Row> metrics = Headroom.sweepTable(spark(), run, "metrics").orderBy("vocab_size").collectAsList();
        assertEquals(4, metrics.size());
        for (Row m : metrics) {
            int v = m.getInt(m.fieldIndex("vocab_size"));
            long tokens = 0;
            try (HfEncoder enc = HfEncoder.load(run.resolve("sweep/tokenizers/v" + v + "/tokenizer.json"))) {
                for (String doc : train) tokens += enc.encode(doc).length;
            }
            assertEquals(tokens, m.getLong(m.fieldIndex("train_tokens")), "V=" + v + ": exact train tokens from the merge counts");
        }
        double[] val = metrics.stream().mapToDouble(r -> r.getDouble(r.fieldIndex("val_tokens_per_byte"))).toArray();
        assertEquals(1.0, val[0], 1e-12, "bytes only: one token per byte");
        for (int i = 1; i < val.length; i++) assertTrue(val[i] < val[i - 1], "more merges, shorter sequences");
    }

    @Test
    void everyValDocumentRoundTripsAndPassesTheByteAuditAtEverySize() throws Exception {
        List<String> val = texts("val");
        for (int v : new int[]{257, 512, 1024, 2048}) {
            Path json = run.resolve("sweep/tokenizers/v" + v + "/tokenizer.json");
            int[] lengths = TokenizerJson.read(json).tokenByteLengths();
            try (HfEncoder enc = HfEncoder.load(json)) {
                for (String doc : val) {
                    int[] ids = enc.encode(doc);
                    assertEquals(doc, enc.decode(ids));
                    ByteAudit.check("val doc", ByteAudit.targetBytes(ids, lengths), doc.getBytes(StandardCharsets.UTF_8).length);
                }
            }
        }
    }

    @Test
    void theSameCorpusAndConfGiveTheSameMergesAndMetrics() throws Exception {
        Path again = tmp.resolve("again");
        Headroom.prep(spark(), conf, again, false);
        Headroom.sweep(spark(), conf, again, false);
        assertArrayEquals(Files.readAllBytes(run.resolve("sweep/merges.tsv")), Files.readAllBytes(again.resolve("sweep/merges.tsv")));
        assertArrayEquals(Files.readAllBytes(run.resolve("sweep/tokenizers/v2048/tokenizer.json")),
                Files.readAllBytes(again.resolve("sweep/tokenizers/v2048/tokenizer.json")));
        assertEquals(Files.readString(run.resolve("sweep/metrics.csv")), Files.readString(again.resolve("sweep/metrics.csv")));
        assertEquals(Files.readString(run.resolve("sweep/candidates.csv")), Files.readString(again.resolve("sweep/candidates.csv")));
        assertTrue(Headroom.sweep(spark(), conf, again, false).skipped(), "unchanged: skipped");
    }

    @Test
    void theBudgetTablesFollowTheDesignFormulas() {
        Row tied = Headroom.sweepTable(spark(), run, "budget").filter("vocab_size = 1024 and head_mode = 'tied' and d_model = 128").first();
        assertEquals(1024L * 128, tied.getLong(tied.fieldIndex("head_parameters")));
        assertEquals((long) Math.ceil(1024 * 128 * 0.93), tied.getLong(tied.fieldIndex("head_bytes")));
        long expectedLeft = 300_000 - tied.getLong(tied.fieldIndex("head_bytes")) - tied.getLong(tied.fieldIndex("tokenizer_bytes")) - 4096;
        assertEquals(expectedLeft, tied.getLong(tied.fieldIndex("trunk_budget_bytes")));
        Row untied = Headroom.sweepTable(spark(), run, "budget").filter("vocab_size = 1024 and head_mode = 'untied' and d_model = 128").first();
        assertEquals(2L * 1024 * 128, untied.getLong(untied.fieldIndex("head_parameters")));
        for (Row c : Headroom.sweepTable(spark(), run, "candidates").collectAsList()) {
            assertTrue(c.getLong(c.fieldIndex("estimated_bytes")) <= 300_000, "every candidate fits the cap: " + c);
        }
        assertTrue(Files.exists(run.resolve("report/sweep.html")));
    }

    @Test
    void everyCandidateIsRankedOnThePriorWhenNoLawIsFitted() throws Exception {
        List<Row> candidates = Headroom.sweepTable(spark(), run, "candidates").collectAsList();
        List<Row> predictions = Headroom.sweepTable(spark(), run, "predictions").orderBy("rank").collectAsList();
        assertEquals(candidates.size(), predictions.size());
        for (int i = 0; i < predictions.size(); i++) {
            Row p = predictions.get(i);
            assertEquals(i + 1, p.getInt(p.fieldIndex("rank")));
            assertEquals("prior", p.getString(p.fieldIndex("basis")));
            if (i > 0) assertTrue(p.getDouble(p.fieldIndex("predicted_bpb")) >= predictions.get(i - 1).getDouble(p.fieldIndex("predicted_bpb")));
        }
        String basis = String.valueOf(headroom.pipelines.run.Manifest.load(run).stage("rank").orElseThrow().outputs().get("predictor"));
        assertTrue(basis.startsWith("on the prior (Tao et al. 2024"), basis);
        assertTrue(Files.readString(run.resolve("report/sweep-ranking.html")).contains("Ranked on the prior"));
    }

    @Test
    void aCorpusTooSmallForTheLargestSizeCapsTheSweepAndSaysSo() throws Exception {
        Path in = tmp.resolve("small");
        Files.createDirectories(in);
        Files.writeString(in.resolve("tiny.txt"), String.join("\n", DemoSlice.lines(60)));
        Path small = tmp.resolve("small-run");
        Config c = conf(in.resolve("tiny.txt"), "sweep.vocab-sizes=[257, 300, 60000]");
        Headroom.prep(spark(), c, small, false);
        Headroom.sweep(spark(), c, small, false);
        JsonNode summary = new ObjectMapper().readTree(small.resolve("sweep/summary.json").toFile());
        assertEquals("[60000]", summary.get("vocab_sizes_left_out").toString());
        assertEquals("[257,300]", summary.get("vocab_sizes").toString());

        Config none = conf(in.resolve("tiny.txt"), "sweep.vocab-sizes=[60000]");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Headroom.sweep(spark(), none, small, false));
        assertTrue(e.getMessage().contains("too small for any requested vocabulary size"), e.getMessage());
    }

    @Test
    void sweepBeforePrepIsAClearError() {
        var e = assertThrows(headroom.pipelines.conf.ConfException.class, () -> Headroom.sweep(spark(), conf, tmp.resolve("empty"), false));
        assertTrue(e.getMessage().contains("run 'headroom prep' first"), e.getMessage());
    }

    @Test
    void piecesCountedOnSparkAreTheTrainersInput() {
        // The cap keeps the most frequent pre-tokens; with no cap every piece of the train split is there.
        List<String> train = texts("train");
        java.util.Map<Bytes, Long> local = headroom.tokenizer.WordCounts.of(train);
        PieceCounter.Counts counts = PieceCounter.count(Headroom.corpus(spark(), run, "train"), Integer.MAX_VALUE, 1);
        assertEquals(local, counts.counts());
        assertEquals(0, counts.droppedBytes());
        PieceCounter.Counts capped = PieceCounter.count(Headroom.corpus(spark(), run, "train"), 100, 1);
        assertEquals(100, capped.kept());
        long keptBytes = capped.counts().entrySet().stream().mapToLong(e -> e.getValue() * e.getKey().length()).sum();
        assertEquals(capped.trainBytes() - keptBytes, capped.droppedBytes());
        assertTrue(ByteLevel.pieces("Emma's").size() == 2);
    }

    @Test
    void aTaskCarriesTheTokenizersBroadcastHandleNotTheirBytes() throws Exception {
        // Five MB of tokenizer files, as a sweep up to V = 32768 exports: shipped in each task they drew
        // Spark's "task of very large size" warning.
        java.util.LinkedHashMap<String, byte[]> tokenizers = new java.util.LinkedHashMap<>();
        tokenizers.put("v32768", new byte[5 * 1024 * 1024]);
        var files = org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark().sparkContext()).broadcast(tokenizers);
        try {
            java.io.ByteArrayOutputStream task = new java.io.ByteArrayOutputStream();
            try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(task)) {
                out.writeObject(new EncodingMeasurement.PartitionEncoder("val", files, List.of("cl100k_base")));
            }
            assertTrue(task.size() < 10_000, "the per-task function serializes to " + task.size() + " bytes");
        } finally {
            files.destroy();
        }
    }
}
