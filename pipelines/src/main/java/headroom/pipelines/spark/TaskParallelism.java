package headroom.pipelines.spark;

import headroom.pipelines.conf.ConfException;
import headroom.pipelines.conf.ConfReader;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How many torch tasks run at once on the executors: {@code headroom.train.parallelism} (trainings) or
 * {@code headroom.score.parallelism} (scored (model, plan) pairs) against what the Spark session offers. Each task takes
 * {@code threads} cores (torch's intra-op threads) and, when Spark schedules GPUs, the GPU(s) of
 * {@code spark.task.resource.gpu.amount}. {@code perExecutor} is what one executor JVM runs at once: a task beyond it
 * waits inside its executor ({@link #slots}), so torch never has more threads than cores.
 */
public record TaskParallelism(int perExecutor, int executors, Cluster cluster) {

    /** Torch threads per task: the training threads, which scoring tasks use too. */
    static final String THREADS_KEY = "headroom.train.threads";

    /** The setting for {@code auto}: one task per executor core group. */
    public static final int AUTO = 0;
    /** Per executor JVM (the driver's in local mode), by permit count: the torch tasks running at once. */
    private static final Map<Integer, Semaphore> SLOTS = new ConcurrentHashMap<>();
    static final String TASK_GPU = "spark.task.resource.gpu.amount";
    /** Where Spark can learn a node's GPU addresses: a discovery script or a resources file (driver: local mode; worker: standalone). */
    static final List<String> GPU_DISCOVERY = List.of("spark.executor.resource.gpu.discoveryScript", "spark.worker.resource.gpu.discoveryScript",
            "spark.driver.resource.gpu.discoveryScript", "spark.worker.resourcesFile", "spark.driver.resourcesFile");

    /**
     * What the session offers: {@code executors} executor JVMs (the driver itself in local mode) of {@code cores} cores and
     * {@code gpus} GPUs each (0 when Spark schedules none); {@code taskGpus} per task; {@code described} for messages.
     */
    public record Cluster(int executors, int cores, double gpus, double taskGpus, String described) {

        private static final Pattern LOCAL = Pattern.compile("local(?:\\[(\\*|\\d+)(?:,\\d+)?])?");
        private static final Pattern LOCAL_CLUSTER = Pattern.compile("local-cluster\\[\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,\\s*\\d+\\s*]");

        public static Cluster of(SparkContext sc) {
            SparkConf conf = sc.getConf();
            String master = sc.master();
            double taskGpus = taskGpus(conf);
            Matcher local = LOCAL.matcher(master);
            if (local.matches()) {
                String n = local.group(1);
                int cores = n == null ? 1 : n.equals("*") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(n);
                return new Cluster(1, cores, conf.getDouble("spark.driver.resource.gpu.amount", 0), taskGpus,
                        master + ": " + cores + " core(s) in the driver");
            }
            double gpus = conf.getDouble("spark.executor.resource.gpu.amount", 0);
            Matcher localCluster = LOCAL_CLUSTER.matcher(master);
            if (localCluster.matches()) {
                int executors = Integer.parseInt(localCluster.group(1)), cores = Integer.parseInt(localCluster.group(2));
                return new Cluster(executors, cores, gpus, taskGpus, master + ": " + executors + " executor(s) of " + cores + " core(s)");
            }
            // A cluster: the executors registered now (the driver is listed too), or the requested instances.
            int executors = Math.max(1, Math.max(sc.statusTracker().getExecutorInfos().length - 1, conf.getInt("spark.executor.instances", 1)));
            int cores = conf.contains("spark.executor.cores") ? conf.getInt("spark.executor.cores", 1)
                    : Math.max(1, sc.defaultParallelism() / executors);
            return new Cluster(executors, cores, gpus, taskGpus, String.format(Locale.ROOT, "%s: %d executor(s) of %d core(s)%s", master,
                    executors, cores, gpus > 0 ? " and " + fmt(gpus) + " GPU(s)" : ""));
        }

        /** GPUs per task ({@value #TASK_GPU}, 0 when none): a request without a way to discover the GPUs is an error. */
        static double taskGpus(SparkConf conf) {
            double taskGpus = conf.getDouble(TASK_GPU, 0);
            if (taskGpus > 0 && GPU_DISCOVERY.stream().noneMatch(conf::contains)) {
                throw new ConfException(TASK_GPU + " = " + conf.get(TASK_GPU) + " asks each training or score task for a GPU, but the session has no"
                        + " GPU discovery script, so Spark cannot tell a task which GPU is its own: set one of " + GPU_DISCOVERY
                        + " (bin/gpu-discovery.sh prints the node's GPUs; README, spark-submit); the cluster offers "
                        + conf.get("spark.executor.resource.gpu.amount", "no") + " GPU(s) per executor (spark.executor.resource.gpu.amount)");
            }
            return taskGpus;
        }

        /** Tasks one executor can hold at once: its cores / threads, and its GPUs / the GPUs per task when Spark schedules them. */
        int capacity(int threads) {
            int byCores = cores / threads;
            return taskGpus > 0 && gpus > 0 ? Math.min(byCores, (int) Math.floor(gpus / taskGpus)) : byCores;
        }
    }

    /**
     * The {@code parallelism} key of a section: {@code auto} ({@link #AUTO}) or a whole number N >= 1 (1 = in the driver,
     * as before); anything else is an error naming the key and the allowed values.
     */
    public static int setting(ConfReader section) {
        String raw = section.string("parallelism").trim();
        if ("auto".equals(raw)) return AUTO;
        try {
            int n = Integer.parseInt(raw);
            if (n >= 1) return n;
        } catch (NumberFormatException e) {
            // reported below with the allowed values
        }
        throw ConfException.badValue(section.key("parallelism"), raw, "use auto or a whole number of tasks at once, 1 or more");
    }

    /**
     * {@code setting} of {@code key}: {@link #AUTO} or N >= 2 (1 runs in the driver and never asks). N is spread over the
     * executors, ceil(N / executors) each; more than an executor can hold is an error naming the setting and the offer.
     */
    public static TaskParallelism resolve(String key, int setting, int threads, Cluster cluster) {
        int capacity = cluster.capacity(threads);
        if (setting == AUTO) {
            if (capacity == 0) {
                throw new ConfException(key + " = auto with " + THREADS_KEY + " = " + threads + " needs " + threads
                        + " core(s) per task, but " + cluster.described() + " offers fewer per executor; lower the threads");
            }
            return new TaskParallelism(capacity, cluster.executors(), cluster);
        }
        int perExecutor = (setting + cluster.executors() - 1) / cluster.executors();
        if (perExecutor > capacity) {
            throw new ConfException(key + " = " + setting + " with " + THREADS_KEY + " = " + threads + " needs "
                    + perExecutor + " task(s) x " + threads + " thread(s) per executor" + (cluster.taskGpus() > 0 ? " and "
                    + fmt(perExecutor * cluster.taskGpus()) + " GPU(s) (" + TASK_GPU + " = " + fmt(cluster.taskGpus()) + ")" : "")
                    + ", but " + cluster.described() + (cluster.gpus() > 0 ? " (" + fmt(cluster.gpus()) + " GPU(s) each)" : "")
                    + " holds " + capacity + " at once per executor, " + capacity * cluster.executors() + " in all; use auto or at most "
                    + capacity * cluster.executors());
        }
        return new TaskParallelism(perExecutor, cluster.executors(), cluster);
    }

    /** The executor JVM's slots for {@code perExecutor} torch tasks at once: acquire one before loading a model, release after. */
    public static Semaphore slots(int perExecutor) {
        return SLOTS.computeIfAbsent(perExecutor, Semaphore::new);
    }

    /** The GPU index Spark's resource scheduling gave this task, if it gave one. */
    public static OptionalInt assignedGpu(TaskContext task) {
        ResourceInformation gpu = task.resourcesJMap().get("gpu");
        if (gpu == null || gpu.addresses().length == 0) return OptionalInt.empty();
        return OptionalInt.of(Integer.parseInt(gpu.addresses()[0].trim()));
    }

    /** Tasks at once over the whole session. */
    public int total() {
        return perExecutor * executors;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
