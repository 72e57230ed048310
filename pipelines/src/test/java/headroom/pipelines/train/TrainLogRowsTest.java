package headroom.pipelines.train;

import headroom.model.train.TrainLog;
import headroom.pipelines.train.TrainLogRows.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainLogRowsTest {

    @TempDir
    Path dir;

    @Test
    void readsTheTrainersColumnsWithEmptyCellsAsNaN() throws IOException {
        Path log = dir.resolve(TrainLog.FILE);
        Files.writeString(log, """
                step,tokens,train_loss,val_loss,val_bpb,lr,step_ms,tokens_per_s,heap_mb,rss_mb
                0,128,6.2,6.3,3.9,1.0e-03,25.0,5120.0,80.0,300.0
                1,256,5.9,,3.9,2.0e-03,32.0,4000.0,80.0,300.0
                2,256,,5.1,3.1,2.0e-03,,,80.0,300.0
                """);
        List<Row> rows = TrainLogRows.read(log);
        assertEquals(new Row(0, 128, 6.2, 6.3, 3.9, 1e-3, 5120.0), rows.get(0));
        assertFalse(rows.get(1).evaluated());
        assertTrue(rows.get(1).trained());
        assertFalse(rows.get(2).trained());
        assertTrue(Double.isNaN(rows.get(2).tokensPerSecond()));
    }

    @Test
    void aSyntheticLogIsFlaggedStillLearningAboveTheThresholdAndFinishedAtOrBelowIt() throws IOException {
        // 20 steps, evaluated at 0, 10, 18 (the last 10% starts there) and at the end
        String log = "step,tokens,train_loss,val_loss,val_bpb,lr,step_ms,tokens_per_s,heap_mb,rss_mb\n"
                + "0,128,6.2,6.3,8.0,1.0e-03,25.0,5120.0,80.0,300.0\n"
                + "10,1408,3.0,3.1,3.0,1.0e-03,25.0,5120.0,80.0,300.0\n"
                + "18,2432,2.0,2.1,%s,1.0e-03,25.0,5120.0,80.0,300.0\n"
                + "20,2560,,2.0,2.0000,1.0e-03,,,80.0,300.0\n";
        Path file = dir.resolve(TrainLog.FILE);
        Files.writeString(file, String.format(log, "2.0150"));
        assertTrue(TrainReport.convergence(TrainLogRows.read(file), 0.1, 0.01).stillLearning(), "fell 0.015 > 0.01");
        Files.writeString(file, String.format(log, "2.0080"));
        assertFalse(TrainReport.convergence(TrainLogRows.read(file), 0.1, 0.01).stillLearning(), "fell 0.008 <= 0.01");
        assertEquals(0.008, TrainReport.convergence(TrainLogRows.read(file), 0.1, 0.01).tailMoveBpb(), 1e-9);
    }

    @Test
    void aMissingColumnIsNamed() throws IOException {
        Path log = dir.resolve(TrainLog.FILE);
        Files.writeString(log, "step,tokens,train_loss\n0,128,6.2\n");
        IOException e = assertThrows(IOException.class, () -> TrainLogRows.read(log));
        assertTrue(e.getMessage().contains("no column val_loss"), e.getMessage());
    }
}
