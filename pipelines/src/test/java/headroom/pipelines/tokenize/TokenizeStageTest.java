package headroom.pipelines.tokenize;

import headroom.model.CandidateNames;
import headroom.pipelines.run.RunLayout;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import headroom.pipelines.DemoSlice;
import headroom.pipelines.Headroom;
import headroom.pipelines.SparkTestBase;
import headroom.pipelines.conf.ConfException;
import headroom.pipelines.run.CodeFingerprint;
import headroom.pipelines.run.CodeFingerprintTest;
import headroom.pipelines.run.StageRunner;
import headroom.tokenizer.BpeEncoder;
import headroom.tokenizer.BpeModel;
import headroom.core.io.Sha256;
import headroom.tokenizer.TokenizerJson;
import headroom.tokenizer.shards.ParameterGolfShards;
import headroom.tokenizer.shards.ShardManifest;
import headroom.tokenizer.shards.ShardSummary;
import headroom.core.TokenStream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One prepared and swept demo slice, tokenized once at sizes 257 (conf) and 1024 (the candidate v1024-tied). */
class TokenizeStageTest extends SparkTestBase {

    private static final List<Integer> SIZES = List.of(257, 1024);

    @TempDir
    static Path tmp;
    static Path run;
    static Path corpusFile;
    static StageRunner.Outcome first;

    static Config conf(String... extra) {
        List<String> o = new ArrayList<>(List.of("prep.inputs=[\"" + corpusFile + "\"]", "prep.split.val-fraction=0.1",
                "sweep.vocab-sizes=[257, 512, 1024]", "sweep.reference-tokenizers=[]", "sweep.budget.cap-bytes=300000",
                "sweep.budget.widths=[64]", "model.head-size=16", "model.seq-len=32",
                "tokenize.vocab-sizes=[257]", "train.candidates=[\"v1024-tied\"]", "tokenize.parameter-golf-export=true",
                "tokenize.partitions=3"));
        o.addAll(List.of(extra));
        return Headroom.conf(null, o.toArray(String[]::new));
    }

    static StageRunner.Outcome tokenize(Config conf, boolean force) throws Exception {
        return new StageRunner(run, force).start(TokenizeStage.of(spark(), conf)).get(0);
    }

    @BeforeAll
    static void tokenizeADemoSlice() throws Exception {
        corpusFile = DemoSlice.write(tmp.resolve("in"), 1500);
        run = tmp.resolve("run");
        Headroom.prep(spark(), conf(), run, false);
        Headroom.sweep(spark(), conf(), run, false);
        first = tokenize(conf(), false);
    }

    private static List<String> texts(String split) {
        return Headroom.corpus(spark(), run, split).orderBy("doc_id").select("text").collectAsList().stream().map(r -> r.getString(0)).toList();
    }

    private static Path shards() {
        return run.resolve("shards");
    }

    private static RunLayout layout() {
        return new RunLayout(run);
    }

    @Test
    void encodesTheConfSizeAndTheCandidatesSize() throws IOException {
        assertFalse(first.skipped());
        JsonNode summary = new ObjectMapper().readTree(shards().resolve("summary.json").toFile());
        assertEquals("[257,1024]", summary.get("vocab_sizes").toString());
        for (int v : SIZES) {
            assertArrayEquals(Files.readAllBytes(run.resolve("sweep/tokenizers/v" + v + "/tokenizer.json")),
                    Files.readAllBytes(layout().shardsTokenizerJson(v)), "the shards carry their tokenizer");
        }
        System.out.println("tokenize timing on the demo slice: " + summary.get("timing"));
    }

    @Test
    void streamTokensEqualTheManifestsShardSums() throws IOException {
        for (int v : SIZES) {
            for (String split : TokenizeStage.SPLITS) {
                ShardManifest m = ShardManifest.read(layout().shards(v, split));
                TokenStream stream = TokenizedSplits.read(layout(), v, split);
                assertEquals(m.shards().stream().mapToLong(ShardSummary::tokens).sum(), stream.size(), CandidateNames.vocab(v) + " " + split);
                assertEquals(texts(split).size(), stream.documents(), CandidateNames.vocab(v) + " " + split + " documents");
                assertEquals(3, m.shards().size(), "one shard per partition");
                assertEquals(List.of("part-00000.arrow", "part-00001.arrow", "part-00002.arrow"),
                        m.shards().stream().map(ShardSummary::file).toList());
            }
        }
    }

    @Test
    void everyValDocumentDecodesToItsText() throws IOException {
        List<String> val = texts("val");
        for (int v : SIZES) {
            BpeModel model = TokenizerJson.read(layout().shardsTokenizerJson(v));
            BpeEncoder decoder = new BpeEncoder(model);
            TokenStream stream = TokenizedSplits.read(layout(), v, "val");
            for (int d = 0; d < val.size(); d++) {
                int start = (int) stream.docStart()[d];
                int end = d + 1 < stream.documents() ? (int) stream.docStart()[d + 1] : (int) stream.size();
                assertEquals(model.bosId(), stream.token(start), "document " + d + " opens with BOS");
                int[] ids = new int[end - start - 1];
                for (int i = 0; i < ids.length; i++) ids[i] = stream.token(start + 1 + i);
                assertEquals(val.get(d), decoder.decode(ids), CandidateNames.vocab(v) + " val document " + d);
            }
        }
    }

    @Test
    void textBytesAreTheCorpusBytes() throws IOException {
        for (String split : TokenizeStage.SPLITS) {
            long bytes = texts(split).stream().mapToLong(t -> t.getBytes(StandardCharsets.UTF_8).length).sum();
            for (int v : SIZES) {
                assertEquals(bytes, ShardManifest.read(layout().shards(v, split)).textBytes(), CandidateNames.vocab(v) + " " + split);
                assertEquals(bytes, TokenizedSplits.read(layout(), v, split).textBytes(), CandidateNames.vocab(v) + " " + split + " stream");
            }
        }
    }

    @Test
    void aSecondRunIsSkippedAndAForcedOneWritesIdenticalFiles() throws Exception {
        assertTrue(tokenize(conf(), false).skipped());
        Map<String, String> before = sha256s(shards());
        assertFalse(tokenize(conf(), true).skipped());
        Map<String, String> after = sha256s(shards());
        assertEquals(before.keySet().stream().filter(f -> f.endsWith(".arrow")).count(), 2 * 2 * 3L, "2 sizes x 2 splits x 3 shards");
        before.remove("summary.json"); // timings differ
        after.remove("summary.json");
        assertEquals(before, after);
    }

    @Test
    void anUnknownCandidateListsTheAvailableNames() {
        ConfException e = assertThrows(ConfException.class, () -> TokenizeStage.of(spark(), conf("train.candidates=[\"v999-tied\"]")).plan(new RunLayout(run), false));
        assertTrue(e.getMessage().contains("'v999-tied'") && e.getMessage().contains("v1024-tied,")
                && e.getMessage().matches("(?s).*v1024-tied-d\\d+-\\d+x\\d+.*"), e.getMessage());
    }

    @Test
    void aSizeTheSweepDidNotExportIsRefused() {
        ConfException e = assertThrows(ConfException.class, () -> TokenizeStage.of(spark(), conf("tokenize.vocab-sizes=[768]")).plan(new RunLayout(run), false));
        assertTrue(e.getMessage().contains("768") && e.getMessage().contains("[257, 512, 1024]"), e.getMessage());
    }

    @Test
    void parameterGolfShardsHaveTheHeaderAndTheArrowShardsTokens() throws IOException {
        for (int v : SIZES) {
            for (String split : TokenizeStage.SPLITS) {
                ShardManifest m = ShardManifest.read(layout().shards(v, split));
                for (int p = 0; p < 3; p++) {
                    Path file = layout().parameterGolf(v).resolve(String.format("fineweb_%s_%06d.bin", split, p));
                    ByteBuffer header = ByteBuffer.wrap(Files.readAllBytes(file), 0, 12).order(ByteOrder.LITTLE_ENDIAN);
                    long tokens = m.shards().get(p).tokens();
                    assertEquals(20240520, header.getInt(), "magic");
                    assertEquals(1, header.getInt(), "version");
                    assertEquals(tokens, header.getInt(), "token count");
                    assertEquals(1024 + 2 * tokens, Files.size(file), file.toString());
                }
                char[] pg = concat(v, split);
                assertArrayEquals(TokenizedSplits.read(layout(), v, split).tokens(), pg, CandidateNames.vocab(v) + " " + split + " same ids");
            }
        }
    }

    @Test
    void aChangedStageImplementationReRunsThatStageAndEverythingDownstream() throws Exception {
        Path copy = tmp.resolve("code-changed");
        copyTree(run, copy);
        // a class only tokenize reaches changes: tokenize alone re-runs
        java.util.function.BiFunction<String, byte[], byte[]> encoderChanged = (name, bytes) -> name.equals("headroom/pipelines/tokenize/ShardEncoder")
                ? CodeFingerprintTest.replace(bytes, "headroom-tokenize", "headroom-tokenizX") : bytes;
        try (AutoCloseable changed = CodeFingerprint.simulate(encoderChanged)) {
            assertTrue(Headroom.prep(spark(), conf(), copy, false).skipped());
            assertTrue(Headroom.sweep(spark(), conf(), copy, false).skipped(), "the sweep does not use the shard encoder");
            assertFalse(Headroom.tokenize(spark(), conf(), copy, false).skipped());
        }
        // then the sweep's code changes too (one string of its report): sweep re-runs, and tokenize, whose own code
        // is as it last ran, re-runs because it is downstream; prep stays
        try (AutoCloseable changed = CodeFingerprint.simulate((name, bytes) -> name.equals("headroom/pipelines/sweep/SweepReport")
                ? CodeFingerprintTest.replace(bytes, "vocabulary sweep", "Vocabulary sweep") : encoderChanged.apply(name, bytes))) {
            assertTrue(Headroom.prep(spark(), conf(), copy, false).skipped(), "prep does not use the sweep's code");
            assertFalse(Headroom.sweep(spark(), conf(), copy, false).skipped(), "the sweep's code changed");
            assertFalse(Headroom.tokenize(spark(), conf(), copy, false).skipped(), "downstream of the sweep");
            assertTrue(Headroom.tokenize(spark(), conf(), copy, false).skipped(), "and then it is up to date");
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
    }

    @Test
    void parameterGolfsGlobsFindTheirFilesNumberedWithoutGaps() throws IOException {
        for (int v : SIZES) {
            Path pg = layout().parameterGolf(v);
            List<String> names;
            try (Stream<Path> s = Files.list(pg)) {
                names = s.map(p -> p.getFileName().toString()).sorted().toList();
            }
            // train_gpt.py: sorted(glob("fineweb_train_*.bin")), sorted(glob("fineweb_val_*.bin")) less the "_bytes_" sidecar
            assertEquals(List.of("fineweb_train_000000.bin", "fineweb_train_000001.bin", "fineweb_train_000002.bin",
                    "fineweb_val_000000.bin", "fineweb_val_000001.bin", "fineweb_val_000002.bin",
                    "fineweb_val_bytes_000000.bin", "fineweb_val_bytes_000001.bin", "fineweb_val_bytes_000002.bin"), names);
        }
    }

    @Test
    void theValByteSidecarSumsToTheValTextsUtf8Bytes() throws IOException {
        long valTextBytes = 0;
        for (Row r : Headroom.corpus(spark(), run, "val").select("text").collectAsList()) {
            valTextBytes += r.getString(0).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        }
        for (int v : SIZES) {
            int bos = headroom.tokenizer.TokenizerJson.read(layout().shardsTokenizerJson(v)).bosId();
            long sum = 0;
            for (int p = 0; p < 3; p++) {
                char[] tokens = ParameterGolfShards.read(layout().parameterGolf(v).resolve(String.format("fineweb_val_%06d.bin", p)));
                char[] bytes = ParameterGolfShards.read(layout().parameterGolf(v).resolve(String.format("fineweb_val_bytes_%06d.bin", p)));
                assertEquals(tokens.length, bytes.length, CandidateNames.vocab(v) + " shard " + p + ": one entry per token, like the token shard");
                for (int i = 0; i < tokens.length; i++) {
                    assertEquals(tokens[i] == bos, bytes[i] == 0, CandidateNames.vocab(v) + " shard " + p + " position " + i + ": BOS and only BOS counts 0 bytes");
                    sum += bytes[i];
                }
            }
            assertEquals(valTextBytes, sum, CandidateNames.vocab(v) + ": the sidecar's sum is the val text's UTF-8 bytes");
        }
    }

    @Test
    void aCorruptedShardFailsNamingIt() throws IOException {
        Path copy = tmp.resolve("corrupt");
        Path src = layout().shards(257, "val");
        Path dst = new RunLayout(copy).shards(257, "val");
        Files.createDirectories(dst);
        try (Stream<Path> s = Files.list(src)) {
            for (Path f : s.toList()) Files.copy(f, dst.resolve(f.getFileName()));
        }
        Path victim = dst.resolve("part-00001.arrow");
        byte[] bytes = Files.readAllBytes(victim);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(victim, bytes);
        IOException e = assertThrows(IOException.class, () -> TokenizedSplits.read(new RunLayout(copy), 257, "val"));
        assertTrue(e.getMessage().contains("part-00001.arrow") && e.getMessage().contains("sha256"), e.getMessage());
    }

    private static char[] concat(int v, String split) throws IOException {
        StringBuilder all = new StringBuilder();
        for (int p = 0; p < 3; p++) {
            all.append(ParameterGolfShards.read(layout().parameterGolf(v).resolve(String.format("fineweb_%s_%06d.bin", split, p))));
        }
        return all.toString().toCharArray();
    }

    private static Map<String, String> sha256s(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                out.put(dir.relativize(f).toString(), Sha256.of(f));
            }
        }
        return out;
    }
}
