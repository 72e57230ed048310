package headroom.pipelines.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LossCurvesTest {

    @Test
    void natsPerTokenBecomeBitsPerByteAtTheTrainSplitsTokensPerByte() {
        // ln 2 nats per token is one bit per token; at 0.25 tokens per byte that is a quarter bit per byte
        assertEquals(0.25, LossCurves.bitsPerByte(Math.log(2), 0.25), 1e-12);
        assertEquals(2.0 / Math.log(2) * 0.4, LossCurves.bitsPerByte(2.0, 0.4), 1e-12);
    }

    @Test
    void everySeedOfACandidateIsOnOneChartInBitsPerByte(@TempDir Path tmp) throws Exception {
        List<LossCurves.Seed> seeds = List.of(seed(tmp, 1337, 5.0), seed(tmp, 1338, 5.1));
        String svg = LossCurves.seedsChart("v512-tied-d64-1x2-m4", seeds);
        assertEquals(1, svg.split("<svg", -1).length - 1, "one chart");
        for (String name : List.of("seed 1337 val", "seed 1337 train", "seed 1338 val", "seed 1338 train", "bits per byte")) {
            assertTrue(svg.contains(name), name);
        }
        assertEquals(4, svg.split("<polyline", -1).length - 1, "a val and a train line per seed");
        assertEquals(2, svg.split("stroke-dasharray=\"5 3\" points", -1).length - 1, "the train lines are dashed");
        // train loss 5.0 nats/token at 0.45 tokens/byte = 3.25 bits per byte: on the val axis (2-4), not at 5
        assertTrue(!svg.contains(">5<") && svg.contains(">3<"), "the y axis spans bits per byte, not nats per token");
    }

    private static LossCurves.Seed seed(Path tmp, long seed, double loss) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("s" + seed));
        Files.writeString(dir.resolve("train_log.csv"), String.join("\n",
                "step,tokens,train_loss,val_loss,val_bpb,lr,step_ms,tokens_per_s,heap_mb,rss_mb",
                "0,128," + loss + ",5.1,3.4,1e-3,10,1000,100,200",
                "1,256," + (loss - 0.5) + ",,,1e-3,10,1000,100,200",
                "2,384," + (loss - 1) + ",4.2,2.9,1e-3,10,1000,100,200", ""));
        return new LossCurves.Seed(seed, dir, 0.45);
    }
}
