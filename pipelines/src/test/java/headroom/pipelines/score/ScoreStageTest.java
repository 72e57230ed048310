package headroom.pipelines.score;

import headroom.scoring.ScoreRows;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import headroom.pipelines.DemoSlice;
import headroom.pipelines.Headroom;
import headroom.pipelines.SparkTestBase;
import headroom.pipelines.conf.ConfException;
import headroom.core.io.Sha256;
import headroom.pipelines.train.TokenizerProvenance;
import headroom.scoring.ScoreRows.LeaderboardRow;
import headroom.model.train.TrainResult;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The score stage on a real (tiny) run: prep + sweep of a demo slice, a model trained here for 20 steps, two precision plans. */
class ScoreStageTest extends SparkTestBase {

    static final String CANDIDATE = "v512-tied-d32-1x2";
    static final String DIVERGED = "v1024-tied-d32-1x2";
    static final String INT8 = "emb=int8,attn=int8,mlp=int8,norm=fp16";
    static final String INT6 = "emb=int8,attn=int6,mlp=int6,norm=fp16,clip=std:4,outliers=0.001";

    @TempDir
    static Path tmp;
    static Path run;
    static List<String> overrides;

    static Config conf(String... extra) {
        List<String> o = new ArrayList<>(overrides);
        o.addAll(List.of(extra));
        return Headroom.conf(null, o.toArray(String[]::new));
    }

    @BeforeAll
    static void scoreATinyTrainedModel() throws Exception {
        DemoSlice.WithHeldout texts = DemoSlice.writeWithHeldout(tmp);
        Path corpus = texts.corpus(), heldout = texts.heldout();
        overrides = List.of("prep.inputs=[\"" + corpus + "\"]", "sweep.vocab-sizes=[257, 512, 1024]", "sweep.reference-tokenizers=[]",
                "sweep.heldout=\"" + heldout + "\"", "sweep.budget.cap-bytes=300000", "sweep.budget.widths=[64]", "model.head-size=16",
                "model.seq-len=32", "train.batch-size=16", "train.device=cpu", "train.threads=1", "score.eval-loops=[0, 1, 3]",
                "score.precision-plans=[\"" + INT8 + "\", \"" + INT6 + "\"]");
        run = tmp.resolve("run");
        Config conf = conf();
        Headroom.prep(spark(), conf, run, false);
        Headroom.sweep(spark(), conf, run, false);
        train(run.resolve("models").resolve(CANDIDATE));
        // what the train stage leaves for a candidate whose training diverged
        Path diverged = Files.createDirectories(run.resolve("models").resolve(DIVERGED));
        Files.writeString(diverged.resolve(TrainedModel.DIVERGED_FILE), "{\"message\": \"training diverged at step 7\"}");
        assertFalse(Headroom.score(spark(), conf, run, false).skipped());
    }

    @Test
    void aDivergedCandidateIsListedAndNotScored() throws Exception {
        JsonNode summary = new ObjectMapper().readTree(run.resolve("artifacts/summary.json").toFile());
        assertEquals(DIVERGED, summary.get("diverged_candidates").get(0).asText(), summary.toString());
        String page = Files.readString(run.resolve("report/score.html"));
        assertTrue(page.contains("Diverged in training") && page.contains("training diverged at step 7"), "score.html lists it");
        try (Stream<Path> artifacts = Files.list(run.resolve("artifacts"))) {
            assertTrue(artifacts.noneMatch(p -> p.getFileName().toString().startsWith(DIVERGED)), "nothing of it is scored");
        }
    }

    /** 20 steps of a d=32 model on the v512 train split, with a result.json shaped like the train stage's. */
    private static void train(Path modelDir) throws Exception {
        TrainResult result = TinyTrainedModel.train(spark(), run, 512, modelDir);
        Files.writeString(modelDir.resolve(TrainedModel.RESULT_FILE),
                "{\"candidate\": \"" + CANDIDATE + "\", \"device\": \"cpu()\", \"result\": {\"seconds\": " + result.seconds() + "}}");
    }

    static List<Row> table(Path runDir, String name) {
        return spark().read().parquet(runDir.resolve("artifacts").resolve(name + ".parquet").toString()).collectAsList();
    }

    static <T> T get(Row r, String column) {
        return r.getAs(column);
    }

    @Test
    void everyPlanGivesAnArtifactScoredAfterItsRoundTrip() throws Exception {
        List<Row> rows = table(run, "leaderboard");
        assertEquals(2, rows.size(), "one model x two plans");
        double previous = 0;
        for (Row r : rows) {
            String artifact = get(r, "artifact");
            assertEquals((Long) get(r, "artifact_bytes"), Files.size(run.resolve("artifacts").resolve(artifact)), artifact + ": bytes = file size");
            assertTrue((Boolean) get(r, "valid"), "about 30k parameters fit 300,000 bytes");
            double post = get(r, "bpb_post"), pre = get(r, "bpb_pre"), tpb = get(r, "tokens_per_byte");
            assertTrue(post >= previous, "sorted by post-roundtrip bpb");
            previous = post;
            assertTrue(Double.isFinite(post) && post < 9 * tpb, "20 steps beat the uniform log2(512) x tokens/byte: " + post);
            assertEquals(post - pre, (Double) get(r, "gap"), 1e-12);
            assertTrue(Double.isFinite(get(r, "heldout_bpb")), "the out-of-domain set is scored too");
            assertEquals(CANDIDATE, get(r, "candidate"));
            assertEquals("cpu()", get(r, "device"), "from result.json");
            if (INT8.equals(get(r, "plan"))) assertTrue(Math.abs(post - pre) < 0.02, "int8 per-row costs little: gap " + (post - pre));
        }
        JsonNode bpp = new ObjectMapper().readTree(run.resolve("artifacts/bytes-per-param.json").toFile());
        for (String c : List.of("EMBEDDING_HEAD", "ATTENTION", "MLP", "NORM_CONDITIONING")) {
            assertTrue(bpp.path(c).asDouble() > 0, c + " measured: " + bpp);
        }
        assertEquals(2, bpp.path("by_plan").size(), "one measurement per plan");
    }

    @Test
    void theNgramFloorStandsAmongTheBaselinesAndEveryRowCarriesItsMargin() throws Exception {
        JsonNode ngram = new ObjectMapper().readTree(run.resolve("artifacts/summary.json").toFile()).get("ngram");
        int order = ngram.get("order").asInt();
        assertTrue(order >= 1 && order <= 8, "chosen among 1..max-order: " + ngram);
        double best = Double.MAX_VALUE;
        for (JsonNode b : ngram.get("holdout_bpb_by_order")) best = Math.min(best, b.asDouble());
        assertEquals(best, ngram.get("holdout_bpb").asDouble(), "the order with the lowest holdout bpb: " + ngram);
        assertFalse(ngram.get("train_capped").asBoolean(), "the slice's train split fits the default cap");
        double floor = ngram.get("val_bpb").asDouble(), heldoutFloor = ngram.get("heldout_bpb").asDouble();
        assertTrue(floor > 1 && floor < 4, "an n-gram on 1,500 lines of Austen: " + floor);
        List<Row> rows = table(run, "leaderboard");
        for (Row r : rows) {
            assertEquals(floor - (Double) get(r, "bpb_post"), (Double) get(r, "ngram_margin"), 1e-12);
            assertEquals(heldoutFloor - (Double) get(r, "heldout_bpb"), (Double) get(r, "heldout_ngram_margin"), 1e-12);
            assertTrue((Double) get(r, "ngram_margin") < 0.1, "20 steps of training stay above the floor");
        }
        assertTrue(Files.readString(run.resolve("artifacts/leaderboard.csv")).lines().findFirst().orElseThrow()
                .endsWith(",ngram_margin,heldout_ngram_margin,tail_move_bpb,still_learning,lr"), "the margins, then the convergence tail");
        String page = Files.readString(run.resolve("report/score.html"));
        assertTrue(page.contains("byte " + order + "-gram (KN)"), "the floor among the reference lines and the baselines");
        assertTrue(page.contains("2 of 2 artifacts are not at least 0.10 bpb below the floor")
                && page.contains("has not learned enough for its architecture to matter"), "the report says what a model under the floor means");
    }

    @Test
    void refinementEvaluatesEveryPositiveLoopCountAndMarksTheTrainedOne() {
        List<Row> rows = table(run, "refinement");
        assertEquals(6, rows.size(), "two artifacts x L' in {1, 2 (trained), 3}; L' = 0 is skipped");
        for (Row r : rows) {
            assertEquals((Integer) get(r, "loops") == 2, (Boolean) get(r, "trained"));
            assertTrue(Double.isFinite(get(r, "bpb")));
        }
    }

    @Test
    void withoutADesignEveryCriterionIsInconclusiveAndSaysWhatToRun() throws Exception {
        String score = Files.readString(run.resolve("report/score.html"));
        assertTrue(score.contains("Pareto") && score.contains("<svg") && score.contains("gzip -9"), "plot with the baselines");
        String md = Files.readString(run.resolve("report/hypothesis.md"));
        for (int i = 1; i <= 4; i++) assertTrue(md.contains("\n## -, " + i + ". "), "criterion " + i + ": " + md);
        assertEquals(4, md.split("inconclusive: no hypothesis design; set headroom.hypothesis.pairs", -1).length - 1, md);
        List<Row> byCandidate = table(run, "leaderboard-by-candidate");
        assertEquals(2, byCandidate.size(), "one model x two plans");
        for (Row r : byCandidate) assertEquals(1, (Integer) get(r, "n"));
    }

    @Test
    void anUnchangedRunIsSkipped() {
        assertTrue(Headroom.score(spark(), conf(), run, false).skipped());
    }

    @Test
    void anArtifactOverTheCapIsFlaggedInvalidNotDropped() throws Exception {
        Path capped = tmp.resolve("run-capped");
        copy(run, capped);
        assertFalse(Headroom.score(spark(), conf("sweep.budget.cap-bytes=1000", "score.val-max-docs=5"), capped, false).skipped(),
                "a new cap is a new conf");
        List<Row> rows = table(capped, "leaderboard");
        assertEquals(2, rows.size(), "both artifacts stay on the leaderboard");
        for (Row r : rows) assertFalse((Boolean) get(r, "valid"));
        assertTrue(Files.readString(capped.resolve("artifacts/leaderboard.csv")).contains(",false,"));
        assertTrue(Files.readString(capped.resolve("report/score.html")).contains("INVALID (over cap)"));
    }

    @Test
    void theCapCheckCountsTheCodeBytesAsTheSweepDoesAndSummaryPicksTheBestValidArtifact() throws Exception {
        List<Row> rows = table(run, "leaderboard");
        long larger = Math.max((Long) get(rows.get(0), "artifact_bytes"), (Long) get(rows.get(1), "artifact_bytes"));
        long smaller = Math.min((Long) get(rows.get(0), "artifact_bytes"), (Long) get(rows.get(1), "artifact_bytes"));
        Path coded = tmp.resolve("run-coded");
        copy(run, coded);
        // the code takes the cap down to between the two artifacts: only the smaller one fits
        long codeBytes = 300_000 - (larger + smaller) / 2;
        assertFalse(Headroom.score(spark(), conf("sweep.budget.code-bytes=" + codeBytes, "score.val-max-docs=5"), coded, false).skipped(),
                "code-bytes is part of score's conf");
        List<Row> after = table(coded, "leaderboard");
        for (Row r : after) {
            assertEquals((Long) get(r, "artifact_bytes") == smaller, (Boolean) get(r, "valid"), get(r, "artifact") + " with " + codeBytes + " code bytes");
        }
        JsonNode summary = new ObjectMapper().readTree(coded.resolve("artifacts/summary.json").toFile());
        String firstValid = after.stream().filter(r -> (Boolean) get(r, "valid")).map(r -> (String) get(r, "artifact")).findFirst().orElseThrow();
        assertEquals(firstValid, summary.path("best_artifact").asText(), summary.toString());
        assertEquals(300_000 - codeBytes, summary.path("artifact_cap_bytes").asLong());
        assertEquals(1, summary.path("invalid_artifacts").asInt());
    }

    /** A scored artifact with only the numbers the best-artifact rule reads. */
    private static LeaderboardRow row(String name, long bytes, boolean valid, double bpb) {
        return new LeaderboardRow(name, name, 1337, INT8, name + ".hra", 1024, "tied", 64, 1, 2, 2, 0, 5_000, bytes - 5_000, 0, 0, 0, bytes,
                valid, bytes / 16_000.0, true, bytes, true, true, bpb - 0.01, bpb, 0.01, Double.NaN, 0.4, Double.NaN, 5_000, "bytes 1000",
                "bytes", 32, 80, 1000, "brotli", Double.NaN, "", Double.NaN, Double.NaN, Double.NaN, false, 3e-3);
    }

    @Test
    void theBestArtifactIsTheBestUnderTheCapEvenWhenABetterOneIsOverIt() {
        LeaderboardRow over = row("over", 20_000, false, 1.10);
        LeaderboardRow under = row("under", 15_000, true, 1.20);
        assertEquals(Optional.of(under), ScoreStage.bestUnderCap(List.of(over, under)));
        assertEquals(Optional.empty(), ScoreStage.bestUnderCap(List.of(over)));
    }

    @Test
    void aModelTrainedWithAnotherTokenizerIsRefusedNamingBothDigests() throws Exception {
        Path resweep = tmp.resolve("run-resweep");
        copy(run, resweep);
        Path tokenizer = resweep.resolve("sweep/tokenizers/v512/tokenizer.json");
        String trainedWith = "0".repeat(64); // as if the sweep had been re-run since training
        Files.writeString(resweep.resolve("models").resolve(CANDIDATE).resolve(TokenizerProvenance.FILE), trainedWith + "\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Headroom.score(spark(), conf(), resweep, true));
        assertTrue(e.getMessage().contains("trained with the tokenizer of sha256 " + trainedWith + " but " + tokenizer
                + " has sha256 " + Sha256.of(tokenizer)), e.getMessage());
        // the recorded digest of the tokenizer in place passes
        Files.writeString(resweep.resolve("models").resolve(CANDIDATE).resolve(TokenizerProvenance.FILE), Sha256.of(tokenizer) + "\n");
        assertTrue(TokenizerProvenance.check(resweep.resolve("models").resolve(CANDIDATE), tokenizer));
    }

    @Test
    void withoutTrainedModelsTheStageSaysWhatToRun() throws Exception {
        Path bare = tmp.resolve("run-untrained");
        copy(run, bare);
        try (Stream<Path> files = Files.walk(bare.resolve("models"))) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
        ConfException e = assertThrows(ConfException.class, () -> Headroom.score(spark(), conf(), bare, false));
        assertTrue(e.getMessage().contains("run 'headroom train' first"), e.getMessage());
    }

    private static void copy(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
