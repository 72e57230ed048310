package headroom.pipelines.sweep;

import headroom.pipelines.run.RunLayout;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import headroom.pipelines.DemoSlice;
import headroom.pipelines.Headroom;
import headroom.pipelines.SparkTestBase;
import headroom.pipelines.sweep.SweepRows.Candidate;
import headroom.pipelines.tokenize.CandidateSelection;
import headroom.pipelines.train.CandidateModel;
import headroom.core.ByteAudit;
import headroom.model.BudgetFit;
import headroom.model.ModelConfig;
import headroom.core.TensorClass;
import headroom.model.nn.LmModel;
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
                "sweep.budget.cap-bytes=300000", "sweep.budget.widths=[64, 128]", "model.head-size=16", "model.context-bytes=128",
                "hypothesis.pairs=[[512, 2048]]",
                // the priors, not a calibration: the formulas below are checked against the conf's bytes per parameter
                "sweep.budget.calibration-steps=0"));
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
        assertEquals((long) Math.ceil(1024 * 128 * 0.95), tied.getLong(tied.fieldIndex("head_bytes")), "int8 prior of the sizing plan");
        long expectedLeft = 300_000 - tied.getLong(tied.fieldIndex("head_bytes")) - tied.getLong(tied.fieldIndex("tokenizer_bytes")) - 4096;
        assertEquals(expectedLeft, tied.getLong(tied.fieldIndex("trunk_budget_bytes")));
        Row untied = Headroom.sweepTable(spark(), run, "budget").filter("vocab_size = 1024 and head_mode = 'untied' and d_model = 128").first();
        assertEquals(2L * 1024 * 128, untied.getLong(untied.fieldIndex("head_parameters")));
        assertTrue(Files.exists(run.resolve("report/sweep.html")));
    }

    /** The test: every fillable candidate of the sweep lands within 2% below the cap; the others say why. */
    @Test
    void everyFillableCandidateLandsWithinTwoPercentBelowTheCap() {
        List<Candidate> candidates = CandidateSelection.read(new RunLayout(run));
        long filled = 0;
        for (Candidate c : candidates) {
            if (c.role().equals("B")) {
                assertTrue(!c.fills() && c.note().contains("left unspent (by design)"), c.toString());
                continue;
            }
            if (c.fills()) {
                filled++;
                assertTrue(c.estimatedBytes() <= 300_000 && c.estimatedBytes() >= 0.98 * 300_000, c.toString());
                assertEquals(c.estimatedBytes() / 300_000.0, c.fill(), 1e-12);
            } else {
                assertTrue(!c.note().isEmpty(), "a candidate that does not fill says why: " + c);
            }
        }
        assertTrue(filled >= 6, "most (vocabulary, head) pairs fill a 300 kB cap: " + filled + " of " + candidates.size());
    }

    /** The test: T differs by vocabulary and covers the same bytes (model.context-bytes = 128) within one token. */
    @Test
    void theContextIsTheSameBytesForEveryVocabulary() {
        List<Candidate> tied = CandidateSelection.read(new RunLayout(run)).stream()
                .filter(c -> c.role().isEmpty() && c.headMode().equals("tied")).toList();
        assertEquals(4, tied.size());
        assertEquals(4, tied.stream().map(Candidate::seqLen).distinct().count(), "T differs by vocabulary: " + tied);
        for (Candidate c : tied) {
            assertTrue(Math.abs(c.seqLen() - 128 * c.trainTokensPerByte()) <= 1, c.name() + ": T " + c.seqLen() + " covers " + c.contextBytes());
        }
    }

    /** The test: B's trunk equals A's, parameter for parameter; only the embedding/head differs, and C fills the cap. */
    @Test
    void theDesignsBHasATrunkParameterForParameter() {
        List<Candidate> designed = CandidateSelection.read(new RunLayout(run)).stream().filter(c -> !c.role().isEmpty()).toList();
        // the design is sized once per precision plan; the first plan's comes first
        List<Candidate> design = designed.stream().filter(c -> c.plan().equals(designed.get(0).plan())).toList();
        assertEquals(List.of("A", "B", "C"), design.stream().map(Candidate::role).toList());
        Candidate a = design.get(0), b = design.get(1), c = design.get(2);
        assertEquals(List.of(2048, 512, 512), List.of(a.vocabSize(), b.vocabSize(), c.vocabSize()));
        assertTrue(a.fills() && c.fills(), a + "\n" + c);
        assertTrue(c.trunkParameters() > b.trunkParameters(), "C spends the freed bytes on its trunk");
        BudgetFit.Recipe recipe = RecipeConf.from(conf);
        List<String> trunkA = trunk(CandidateModel.config(a, recipe));
        List<String> trunkB = trunk(CandidateModel.config(b, recipe));
        assertEquals(trunkA, trunkB);
        assertTrue(trunkA.size() > 8, trunkA.toString());
        assertEquals(a.trunkParameters(), b.trunkParameters());
    }

    /** Name, class and shape of every tensor outside the embedding/head, from the built model. */
    private static List<String> trunk(ModelConfig config) {
        try (LmModel model = new LmModel(config, ai.djl.Device.cpu(), 1)) {
            return model.weights().stream().filter(w -> w.tensorClass() != TensorClass.EMBEDDING_HEAD)
                    .map(w -> w.name() + " " + w.tensorClass() + " " + java.util.Arrays.toString(w.shape())).toList();
        }
    }

    @Test
    void everyCandidateIsRankedOnThePriorWhenNoLawIsFitted() throws Exception {
        // every candidate with a model under the cap (a row whose head alone is over it has nothing to predict)
        List<Row> candidates = Headroom.sweepTable(spark(), run, "candidates").where("d_model > 0").collectAsList();
        List<Row> predictions = Headroom.sweepTable(spark(), run, "predictions").orderBy("rank").collectAsList();
        assertEquals(candidates.size(), predictions.size());
        for (int i = 0; i < predictions.size(); i++) {
            Row p = predictions.get(i);
            assertEquals(i + 1, p.getInt(p.fieldIndex("rank")));
            // the prior is not calibrated on this corpus: it ranks and prints no bits per byte
            assertEquals("prior, not calibrated", p.getString(p.fieldIndex("basis")));
            assertTrue(Double.isNaN(p.getDouble(p.fieldIndex("predicted_bpb"))), p.toString());
        }
        String basis = String.valueOf(headroom.pipelines.run.Manifest.load(run).stage("rank").orElseThrow().outputs().get("predictor"));
        assertTrue(basis.startsWith("on the prior (Tao et al. 2024") && basis.contains("prior, not calibrated"), basis);
        assertEquals(false, headroom.pipelines.run.Manifest.load(run).stage("rank").orElseThrow().outputs().get("calibrated"));
        String page = Files.readString(run.resolve("report/sweep-ranking.html"));
        assertTrue(page.contains("Ranked on the prior") && page.contains("forecasts no bits per byte"), "the page says why it has no bpb");
        assertTrue(!java.util.regex.Pattern.compile(">\\d\\.\\d{4}</td>").matcher(page).find(), "no bits per byte in the ranking's table");
    }

    @Test
    void aCorpusTooSmallForTheLargestSizeCapsTheSweepAndSaysSo() throws Exception {
        Path in = tmp.resolve("small");
        Files.createDirectories(in);
        Files.writeString(in.resolve("tiny.txt"), String.join("\n", DemoSlice.lines(60)));
        Path small = tmp.resolve("small-run");
        Config c = conf(in.resolve("tiny.txt"), "sweep.vocab-sizes=[257, 300, 60000]", "hypothesis.pairs=[]");
        Headroom.prep(spark(), c, small, false);
        Headroom.sweep(spark(), c, small, false);
        JsonNode summary = new ObjectMapper().readTree(small.resolve("sweep/summary.json").toFile());
        assertEquals("[60000]", summary.get("vocab_sizes_left_out").toString());
        assertEquals("[257,300]", summary.get("vocab_sizes").toString());

        Config none = conf(in.resolve("tiny.txt"), "sweep.vocab-sizes=[60000]", "hypothesis.pairs=[]");
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
