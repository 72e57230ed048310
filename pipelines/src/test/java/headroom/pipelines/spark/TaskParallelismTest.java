package headroom.pipelines.spark;

import headroom.pipelines.train.TrainConf;
import headroom.pipelines.Headroom;
import headroom.pipelines.conf.ConfException;
import headroom.pipelines.spark.TaskParallelism.Cluster;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Spark-free: the parallelism a session offers, the errors for what it cannot, and the progress lines' arithmetic. */
class TaskParallelismTest {

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
        assertEquals(2, TaskParallelism.resolve(TrainConf.PARALLELISM_KEY, TrainConf.AUTO, 1, LOCAL_2).total());
        assertEquals(1, TaskParallelism.resolve(TrainConf.PARALLELISM_KEY, TrainConf.AUTO, 2, LOCAL_2).total());
        assertEquals(8, TaskParallelism.resolve(TrainConf.PARALLELISM_KEY, TrainConf.AUTO, 2, new Cluster(1, 16, 0, 0, "local[16]")).total());
        // 32 cores / 2 threads would be 16, but each executor has 8 GPUs and each task takes one
        TaskParallelism gpus = TaskParallelism.resolve(TrainConf.PARALLELISM_KEY, TrainConf.AUTO, 2, TWO_NODES_OF_8_GPUS);
        assertEquals(8, gpus.perExecutor());
        assertEquals(16, gpus.total());
    }

    @Test
    void nIsSpreadOverTheExecutors() {
        assertEquals(2, TaskParallelism.resolve(TrainConf.PARALLELISM_KEY, 2, 1, LOCAL_2).perExecutor());
        assertEquals(3, TaskParallelism.resolve(TrainConf.PARALLELISM_KEY, 5, 2, TWO_NODES_OF_8_GPUS).perExecutor());
    }

    @Test
    void moreThanTheCoresOfferIsAnErrorNamingTheSettingAndTheOffer() {
        ConfException e = assertThrows(ConfException.class, () -> TaskParallelism.resolve(TrainConf.PARALLELISM_KEY, 2, 2, LOCAL_2));
        assertTrue(e.getMessage().contains("headroom.train.parallelism = 2") && e.getMessage().contains("threads = 2")
                && e.getMessage().contains("local[2]: 2 core(s)") && e.getMessage().contains("at most 1"), e.getMessage());
        ConfException gpus = assertThrows(ConfException.class, () -> TaskParallelism.resolve(TrainConf.PARALLELISM_KEY, 17, 1, TWO_NODES_OF_8_GPUS));
        assertTrue(gpus.getMessage().contains("spark.task.resource.gpu.amount = 1") && gpus.getMessage().contains("8 GPU(s)")
                && gpus.getMessage().contains("at most 16"), gpus.getMessage());
        assertThrows(ConfException.class, () -> TaskParallelism.resolve(TrainConf.PARALLELISM_KEY, TrainConf.AUTO, 4, LOCAL_2));
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
}
