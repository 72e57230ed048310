package headroom.pipelines.nightly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import headroom.pipelines.DemoSlice;
import headroom.pipelines.Headroom;
import headroom.pipelines.SparkTestBase;
import headroom.pipelines.run.DirLock;
import headroom.pipelines.run.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NightlyRunnerTest extends SparkTestBase {

    private static Config conf(Path corpus, Path root, String... extra) {
        List<String> o = new ArrayList<>(List.of("prep.inputs=[\"" + corpus + "\"]", "nightly.root=\"" + root + "\"",
                "sweep.vocab-sizes=[257, 512, 1024]", "sweep.reference-tokenizers=[]", "sweep.budget.cap-bytes=300000",
                "sweep.budget.widths=[64]", "model.head-size=16", "nightly.keep=2"));
        o.addAll(List.of(extra));
        return Headroom.conf(null, o.toArray(String[]::new));
    }

    @Test
    void nightsAreIdempotentComparedLockedAndPruned(@TempDir Path tmp) throws Exception {
        Path corpus = tmp.resolve("corpus.txt");
        Files.writeString(corpus, String.join("\n", DemoSlice.lines(1200)), StandardCharsets.UTF_8);
        Path root = tmp.resolve("nightly");
        Config c = conf(corpus, root);

        LocalDate d1 = LocalDate.of(2026, 11, 20);
        NightlyRunner.Outcome first = Headroom.nightly(spark(), c, d1, false);
        assertTrue(first.previous().isEmpty());
        assertFalse(first.flagged());
        String sweepEnded = Manifest.load(first.runDir()).stage("sweep").orElseThrow().endedAt();
        NightlyRunner.Outcome again = Headroom.nightly(spark(), c, d1, false);
        assertEquals(sweepEnded, Manifest.load(again.runDir()).stage("sweep").orElseThrow().endedAt(), "same date: stages skipped");
        assertEquals(List.of(d1), NightlyRunner.nights(root), "one result per date");

        // The next night the corpus has changed in kind (upper-cased text tokenizes very differently).
        Files.writeString(corpus, String.join("\n", DemoSlice.lines(1200)).toUpperCase(), StandardCharsets.UTF_8);
        LocalDate d2 = d1.plusDays(1);
        NightlyRunner.Outcome second = Headroom.nightly(spark(), c, d2, false);
        assertEquals(d1, second.previous().orElseThrow());
        assertTrue(second.flagged(), "tokens per byte moved by far more than 1%");
        JsonNode diff = new ObjectMapper().readTree(second.runDir().resolve("nightly-diff.json").toFile());
        assertTrue(diff.get("flagged").asBoolean());
        assertTrue(diff.get("changes").toString().contains("val_tokens_per_byte[v1024]"));
        assertTrue(Files.readString(second.runDir().resolve("nightly-diff.html")).contains("FLAGGED"));

        // A third night: keep = 2 deletes the first.
        Headroom.nightly(spark(), c, d2.plusDays(1), false);
        assertEquals(List.of(d2, d2.plusDays(1)), NightlyRunner.nights(root));

        try (DirLock held = DirLock.acquire(root, DirLock.NIGHTLY, "nightly root", "headroom nightly --date " + d2)) {
            DirLock.HeldException e = assertThrows(DirLock.HeldException.class, () -> Headroom.nightly(spark(), c, d2, false));
            assertTrue(e.getMessage().contains("is in use by another headroom process (pid " + ProcessHandle.current().pid()), e.getMessage());
            assertTrue(e.getMessage().contains(": headroom nightly --date " + d2 + ")"), e.getMessage());
        }
    }

    @Test
    void theDiffFlagsOnlyWhatMovesPastItsThreshold() {
        NightlyConf.Thresholds t = new NightlyConf.Thresholds(0.01, 0.02, 1.0, 0.02);
        NightMetrics a = new NightMetrics(Map.of("val_tokens_per_byte[v1024]", 0.300, "seconds[sweep]", 10.0,
                "bpb[v1024 int8]", 1.500, "estimated_bytes[v1024-tied]", 1000.0));
        NightMetrics b = new NightMetrics(Map.of("val_tokens_per_byte[v1024]", 0.302, "seconds[sweep]", 19.0,
                "bpb[v1024 int8]", 1.530, "heldout_tokens_per_byte[v1024]", 0.31));
        Map<String, NightlyDiff.Change> byName = new java.util.HashMap<>();
        NightlyDiff.compare(a, b, t).forEach(ch -> byName.put(ch.metric(), ch));
        assertFalse(byName.get("val_tokens_per_byte[v1024]").flagged(), "+0.67% is within 1%");
        assertFalse(byName.get("seconds[sweep]").flagged(), "+90% is within 100%");
        assertTrue(byName.get("bpb[v1024 int8]").flagged(), "+0.03 bpb is past 0.02");
        assertEquals(0.03, byName.get("bpb[v1024 int8]").change(), 1e-12);
        assertTrue(byName.get("estimated_bytes[v1024-tied]").flagged(), "a metric that disappears is flagged");
        assertFalse(byName.get("heldout_tokens_per_byte[v1024]").flagged(), "a new metric is not a regression");
    }

    @Test
    void theSchedulerUnitsVerifyWhereSystemdIsInstalled(@TempDir Path tmp) throws Exception {
        Path analyze = Path.of("/usr/bin/systemd-analyze");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(analyze), "systemd-analyze is not installed");
        Path root = DemoSlice.repoRoot().toAbsolutePath().normalize();
        for (String unit : List.of("headroom-nightly.service", "headroom-nightly.timer")) {
            // The units name /opt/headroom; verify them against this checkout, where bin/headroom exists.
            String text = Files.readString(root.resolve("conf/scheduler").resolve(unit)).replace("/opt/headroom", root.toString());
            Files.writeString(tmp.resolve(unit), text);
        }
        Process p = new ProcessBuilder(analyze.toString(), "verify", tmp.resolve("headroom-nightly.service").toString(),
                tmp.resolve("headroom-nightly.timer").toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(Files.readString(root.resolve("conf/scheduler/headroom-nightly.cron")).contains("bin/headroom nightly --conf conf/nightly.conf"));
    }
}
