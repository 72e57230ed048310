package headroom.pipelines.train;

import headroom.pipelines.Headroom;
import headroom.pipelines.conf.ConfException;
import headroom.pipelines.train.TrainParallelism.Cluster;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Spark-free: the parallelism a session offers, the errors for what it cannot, and the progress lines' arithmetic. */
class TrainParallelismTest {

    private static final Cluster LOCAL_2 = new Cluster(1, 2, 0, 0, "local[2]: 2 core(s) in the driver");
    private static final Cluster TWO_NODES_OF_8_GPUS = new Cluster(2, 32, 8, 1, "yarn: 2 executor(s) of 32 core(s) and 8 GPU(s)");

    @Test
    void theSettingIsAutoOrAWholeNumberAndOneByDefault() {
        assertEquals(1, TrainConf.from(Headroom.conf(null)).parallelism());
        assertEquals(TrainConf.AUTO, TrainConf.from(Headroom.conf(null, "train.parallelism=auto")).parallelism());
        assertEquals(4, TrainConf.from(Headroom.conf(null, "train.parallelism=4")).parallelism());
        for (String bad : List.of("0", "many")) {
            ConfException e = assertThrows(ConfException.class, () -> TrainConf.from(Headroom.conf(null, "train.parallelism=" + bad)));
            assertTrue(e.getMessage().contains("headroom.train.parallelism") && e.getMessage().contains("auto"), e.getMessage());
        }
    }

    @Test
    void autoIsOneTrainingPerCoreGroupAndPerGpu() {
        assertEquals(2, TrainParallelism.resolve(TrainParallelism.KEY, TrainConf.AUTO, 1, LOCAL_2).total());
        assertEquals(1, TrainParallelism.resolve(TrainParallelism.KEY, TrainConf.AUTO, 2, LOCAL_2).total());
        assertEquals(8, TrainParallelism.resolve(TrainParallelism.KEY, TrainConf.AUTO, 2, new Cluster(1, 16, 0, 0, "local[16]")).total());
        // 32 cores / 2 threads would be 16, but each executor has 8 GPUs and each task takes one
        TrainParallelism gpus = TrainParallelism.resolve(TrainParallelism.KEY, TrainConf.AUTO, 2, TWO_NODES_OF_8_GPUS);
        assertEquals(8, gpus.perExecutor());
        assertEquals(16, gpus.total());
    }

    @Test
    void nIsSpreadOverTheExecutors() {
        assertEquals(2, TrainParallelism.resolve(TrainParallelism.KEY, 2, 1, LOCAL_2).perExecutor());
        assertEquals(3, TrainParallelism.resolve(TrainParallelism.KEY, 5, 2, TWO_NODES_OF_8_GPUS).perExecutor());
    }

    @Test
    void moreThanTheCoresOfferIsAnErrorNamingTheSettingAndTheOffer() {
        ConfException e = assertThrows(ConfException.class, () -> TrainParallelism.resolve(TrainParallelism.KEY, 2, 2, LOCAL_2));
        assertTrue(e.getMessage().contains("headroom.train.parallelism = 2") && e.getMessage().contains("threads = 2")
                && e.getMessage().contains("local[2]: 2 core(s)") && e.getMessage().contains("at most 1"), e.getMessage());
        ConfException gpus = assertThrows(ConfException.class, () -> TrainParallelism.resolve(TrainParallelism.KEY, 17, 1, TWO_NODES_OF_8_GPUS));
        assertTrue(gpus.getMessage().contains("spark.task.resource.gpu.amount = 1") && gpus.getMessage().contains("8 GPU(s)")
                && gpus.getMessage().contains("at most 16"), gpus.getMessage());
        assertThrows(ConfException.class, () -> TrainParallelism.resolve(TrainParallelism.KEY, TrainConf.AUTO, 4, LOCAL_2));
    }

    @Test
    void aGpuRequestWithoutDiscoveryIsAnError() {
        SparkConf conf = new SparkConf(false).set("spark.task.resource.gpu.amount", "1").set("spark.executor.resource.gpu.amount", "4");
        ConfException e = assertThrows(ConfException.class, () -> Cluster.taskGpus(conf));
        assertTrue(e.getMessage().contains("spark.task.resource.gpu.amount = 1") && e.getMessage().contains("discoveryScript")
                && e.getMessage().contains("offers 4 GPU(s) per executor"), e.getMessage());
        assertEquals(1.0, Cluster.taskGpus(conf.set("spark.executor.resource.gpu.discoveryScript", "/opt/gpu-discovery.sh")));
        assertEquals(0.0, Cluster.taskGpus(new SparkConf(false)));
    }

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
