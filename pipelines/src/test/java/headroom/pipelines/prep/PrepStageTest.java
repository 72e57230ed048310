package headroom.pipelines.prep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdOutputStream;
import com.typesafe.config.Config;
import headroom.pipelines.Headroom;
import headroom.pipelines.SparkTestBase;
import headroom.pipelines.conf.ConfException;
import headroom.pipelines.run.StageRecord;
import headroom.pipelines.run.StageRunner;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrepStageTest extends SparkTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Config conf(Path input, String... extra) {
        List<String> o = new ArrayList<>(List.of("prep.inputs=[\"" + input + "\"]", "prep.split.val-fraction=0.2"));
        o.addAll(List.of(extra));
        return Headroom.conf(null, o.toArray(String[]::new));
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        String name = file.getFileName().toString();
        try (OutputStream out = name.endsWith(".gz") ? new GZIPOutputStream(Files.newOutputStream(file))
                : name.endsWith(".zst") ? new ZstdOutputStream(Files.newOutputStream(file))
                : name.endsWith(".xz") ? new XZOutputStream(Files.newOutputStream(file), new LZMA2Options())
                : Files.newOutputStream(file)) {
            out.write(bytes);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> texts(Path runDir, String split) {
        return Headroom.corpus(spark(), runDir, split).select("text").collectAsList().stream().map(r -> r.getString(0)).toList();
    }

    private static JsonNode stats(Path runDir) throws IOException {
        return JSON.readTree(runDir.resolve("corpus/stats.json").toFile());
    }

    @Test
    void everyFormatAndCompressionIsReadByteExact(@TempDir Path tmp) throws Exception {
        Path in = tmp.resolve("in");
        write(in.resolve("a.txt"), utf8("plain line one\nplain  two  \r\n"));
        write(in.resolve("b.txt.gz"), utf8("gzip one\ngzip two\n"));
        write(in.resolve("c.txt.zst"), utf8("zstd one\nzstd two"));
        write(in.resolve("d.txt.xz"), utf8("xz one\nxz \u00e9\u00e8 \uD83D\uDE00\n"));
        write(in.resolve("e.jsonl.gz"), utf8("{\"text\":\"json gz\",\"url\":\"http://x\"}\n"));
        write(in.resolve("f.jsonl.zst"), utf8("{\"text\":\"json zst\"}\n"));
        write(in.resolve("g.jsonl.xz"), utf8("{\"text\":\"json\\txz\"}\n"));
        write(in.resolve("h.jsonl"), utf8("{\"text\":\"json plain\",\"id\":7}\n"));
        write(in.resolve("notes.md"), utf8("ignored"));
        StructType schema = new StructType().add("id", DataTypes.StringType).add("text", DataTypes.StringType).add("url", DataTypes.StringType);
        spark().createDataFrame(List.of(RowFactory.create("p1", "parquet one", "u1"), RowFactory.create("p2", "parquet two", null)), schema)
                .coalesce(1).write().parquet(in.resolve("i.parquet").toString());

        Path run = tmp.resolve("run");
        Headroom.prep(spark(), conf(in), run, false);

        List<String> all = new ArrayList<>(texts(run, "train"));
        all.addAll(texts(run, "val"));
        assertRows("every document of every format, byte-exact", List.of(
                "plain line one", "plain  two  ", "gzip one", "gzip two", "zstd one", "zstd two", "xz one",
                "xz \u00e9\u00e8 \uD83D\uDE00", "json gz", "json zst", "json\txz", "json plain", "parquet one", "parquet two"), all);
        List<Row> meta = Headroom.corpus(spark(), run, "train").union(Headroom.corpus(spark(), run, "val"))
                .filter("text in ('json gz', 'parquet one', 'parquet two')").orderBy("text").select("text", "meta").collectAsList();
        assertEquals("http://x", meta.get(0).getJavaMap(1).get("url"));
        assertEquals("p1", meta.get(1).getJavaMap(1).get("id"));
        assertFalse(meta.get(2).getJavaMap(1).containsKey("url"), "null fields are left out of meta");
        JsonNode s = stats(run);
        assertEquals(14, s.get("documents").asLong());
        assertEquals(1, s.get("ignored_files").size());
        assertEquals(0, s.get("quarantined_total").asLong());
    }

    @Test
    void badRecordsAreQuarantinedWithExactCountsAndTheirBytes(@TempDir Path tmp) throws Exception {
        Path in = tmp.resolve("in");
        ByteArrayOutputStream txt = new ByteArrayOutputStream();
        txt.writeBytes(utf8("good one\n\n   \ngood two\n"));
        byte[] invalid = {'b', 'a', 'd', ' ', (byte) 0xfe, '!'};
        txt.writeBytes(invalid);
        txt.writeBytes(utf8("\ngood one\ngood one\n" + "x".repeat(300) + "\n"));
        write(in.resolve("a.txt"), txt.toByteArray());
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 30_000; i++) many.append("document ").append(i).append(" of the damaged file\n");
        write(in.resolve("good.txt.gz"), utf8("intact gz\n"));
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(utf8(many.toString()));
        }
        write(in.resolve("damaged.txt"), new byte[0]);
        Files.delete(in.resolve("damaged.txt"));
        Files.write(in.resolve("damaged.txt.gz"), Arrays.copyOf(gz.toByteArray(), gz.size() / 2));

        Path run = tmp.resolve("run");
        Headroom.prep(spark(), conf(in, "prep.max-doc-bytes=200"), run, false);

        JsonNode q = stats(run).get("quarantined");
        assertEquals(2, q.get("empty").asLong(), "an empty and a whitespace-only line");
        assertEquals(1, q.get("invalid-utf8").asLong());
        assertEquals(1, q.get("too-long").asLong());
        assertEquals(1, q.get("unreadable-file").asLong());
        assertEquals(2, stats(run).get("duplicates_removed").asLong(), "'good one' three times: one kept");
        JsonNode unreadable = stats(run).get("unreadable_files").get(0);
        assertTrue(unreadable.get("file").asText().endsWith("damaged.txt.gz"), unreadable.toString());
        Row bad = spark().read().parquet(run.resolve("corpus/quarantine").toString()).filter("reason = 'invalid-utf8'").first();
        assertArrayEquals(invalid, (byte[]) bad.getAs("raw"), "quarantine keeps the bytes as read");
        assertEquals(5L, (long) bad.getAs("position"));
        long kept = stats(run).get("documents").asLong();
        assertTrue(kept > 3 + 1000, "the damaged file's readable part and the intact file are kept: " + kept);
    }

    @Test
    void theSplitDependsOnContentOnlyNotOnOrderPartitionsOrMaster(@TempDir Path tmp) throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 400; i++) lines.add("doc " + i + " " + Integer.toHexString(i * 2654435761L > 0 ? i * 31 : i));
        write(tmp.resolve("a/corpus.txt"), utf8(String.join("\n", lines)));
        List<String> shuffled = new ArrayList<>(lines);
        Collections.shuffle(shuffled, new Random(7));
        write(tmp.resolve("b/part1.txt"), utf8(String.join("\n", shuffled.subList(0, 150))));
        write(tmp.resolve("b/part2.txt.gz"), utf8(String.join("\n", shuffled.subList(150, 400))));

        List<String> first = splitOf(tmp.resolve("a"), tmp.resolve("run-a"), "prep.partitions=1");
        List<String> second = splitOf(tmp.resolve("b"), tmp.resolve("run-b"), "prep.partitions=5");
        restart("local[1]");
        List<String> third;
        try {
            third = splitOf(tmp.resolve("b"), tmp.resolve("run-c"), "prep.partitions=3");
        } finally {
            restart("local[2]");
        }
        assertEquals(400, first.size());
        assertEquals(first, second, "shuffled input in two files, other partitioning");
        assertEquals(first, third, "local[1]");
        long val = first.stream().filter(s -> s.endsWith("val")).count();
        assertTrue(val > 50 && val < 110, "about 20% val: " + val);
    }

    private List<String> splitOf(Path in, Path run, String partitions) {
        Headroom.prep(spark(), conf(in, partitions), run, false);
        List<String> rows = new ArrayList<>();
        for (String split : List.of("train", "val")) {
            Headroom.corpus(spark(), run, split).select("text").collectAsList().forEach(r -> rows.add(r.getString(0) + " -> " + split));
        }
        Collections.sort(rows);
        return rows;
    }

    @Test
    void aSecondRunSkipsAndAChangedConfReruns(@TempDir Path tmp) throws Exception {
        write(tmp.resolve("in/a.txt"), utf8("one\ntwo\nthree\n"));
        Path run = tmp.resolve("run");
        assertFalse(Headroom.prep(spark(), conf(tmp.resolve("in")), run, false).skipped());
        long t0 = System.nanoTime();
        StageRunner.Outcome again = Headroom.prep(spark(), conf(tmp.resolve("in")), run, false);
        assertTrue(again.skipped());
        assertTrue((System.nanoTime() - t0) / 1e9 < 5, "a skip takes seconds");
        assertFalse(Headroom.prep(spark(), conf(tmp.resolve("in"), "prep.split.seed=9"), run, false).skipped(), "another seed re-runs");
        assertFalse(Headroom.prep(spark(), conf(tmp.resolve("in"), "prep.split.seed=9"), run, true).skipped(), "--force re-runs");
        Files.writeString(tmp.resolve("in/a.txt"), "one\ntwo\nthree\nfour\n");
        assertFalse(Headroom.prep(spark(), conf(tmp.resolve("in"), "prep.split.seed=9"), run, false).skipped(), "a changed input re-runs");
    }

    @Test
    void aRunKilledMidWriteLeavesNothingAndReRunsCleanly(@TempDir Path tmp) throws Exception {
        write(tmp.resolve("in/a.txt"), utf8("one\ntwo\nthree\n"));
        Path run = tmp.resolve("run");
        // What a kill -9 during prep leaves: a half-written staging dir and a manifest that says RUNNING.
        Path leftover = run.resolve(".staging/prep/corpus/train/part-00000.parquet");
        Files.createDirectories(leftover.getParent());
        Files.writeString(leftover, "half a file");
        Files.writeString(run.resolve("manifest.json"),
                "{\"stages\":{\"prep\":{\"stage\":\"prep\",\"status\":\"RUNNING\",\"fingerprint\":\"x\",\"codeVersion\":\"prep/1\"}}}");
        assertFalse(Files.exists(run.resolve("corpus")), "nothing half-written where readers look");

        StageRunner.Outcome outcome = Headroom.prep(spark(), conf(tmp.resolve("in")), run, false);
        assertFalse(outcome.skipped());
        assertEquals(StageRecord.Status.SUCCEEDED, outcome.record().status());
        assertFalse(Files.exists(run.resolve(".staging/prep")), "staging cleaned");
        assertEquals(3, texts(run, "train").size() + texts(run, "val").size());
    }

    @Test
    void aBadConfStopsBeforeAnyWork(@TempDir Path tmp) {
        ConfException e = assertThrows(ConfException.class,
                () -> Headroom.prep(spark(), conf(tmp.resolve("missing-dir")), tmp.resolve("run"), false));
        assertTrue(e.getMessage().contains("matches no file"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("run")));
    }
}
