package headroom.pipelines.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class TrainProgressTest {

    @Test
    void progressReadsTheLastTrainedStepOfAGrowingLog(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("train_log.csv");
        assertNull(TrainProgress.snapshot(log, 100));
        StringBuilder csv = new StringBuilder("step,tokens,train_loss,val_loss,val_bpb,lr,step_ms,tokens_per_s,heap_mb,rss_mb\n");
        for (int step = 0; step < 300; step++) csv.append(step).append(",128,5.0,,,1e-3,250.00,512.0,10.0,20.0\n");
        csv.append("300,128,,4.9,3.1,1e-3,,,10.0,20.0\n"); // an evaluation row: no step time
        csv.append("30"); // the row being written
        Files.writeString(log, csv);
        TrainProgress.Snapshot s = TrainProgress.snapshot(log, 400);
        assertEquals(300, s.step());
        assertEquals(512.0, s.tokensPerSecond());
        assertEquals(25.0, s.etaSeconds(), 1e-9); // 100 steps left at 250 ms
        assertEquals("1m05s", headroom.pipelines.spark.Progress.duration(65));
    }
}
