package headroom.model.bench;

import ai.djl.Device;
import headroom.core.io.FileTrees;
import headroom.core.TokenStream;
import headroom.model.ModelConfig;
import headroom.model.ModelFlops;
import headroom.model.nn.LmModel;
import headroom.model.train.EvalResult;
import headroom.model.train.Evaluator;
import headroom.model.train.PeakFlops;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Training and evaluation throughput of one model in one process, and model FLOPs utilization
 * (issue 14, items 11 and 12): the peak (a square fp32 matmul through the same engine and threads),
 * then {@link TrainingBench}'s timed training steps, then the {@link Evaluator} over random windows
 * with the trained weights.
 *
 * <pre>
 * java ... headroom.model.bench.ThroughputBench --vocab 2048 --d 256 --unique 2 --loops 3 --head-size 32 \
 *     --seq 128 --batch 16 --steps 20 --warmup 3 --threads 2 [--eval-windows 256] [--eval-batch 16]
 * </pre>
 *
 * Prints one key-value line per figure, twice: per wall second (what a user waits for) and per CPU
 * second of the process (all its threads; torch's threads wait passively, OMP_WAIT_POLICY=PASSIVE),
 * which holds up when other jobs share the cores: MFU per CPU second is model FLOPs per CPU second
 * over the peak's FLOPs per CPU second. Training CPU time is that of a run of warmup + steps minus a
 * run of warmup steps alone.
 */
public final class ThroughputBench {

    private ThroughputBench() {
    }

    public static void main(String[] args) throws IOException {
        TrainingBench.Options options = TrainingBench.Options.parse(args);
        int evalWindows = intFlag(args, "--eval-windows", 256);
        int evalBatch = intFlag(args, "--eval-batch", options.batchSize());
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(options.threads()));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");

        double cpu0 = cpuSeconds();
        double wall0 = System.nanoTime() / 1e9;
        double peak = PeakFlops.measure(Device.cpu(), options.threads(), PeakFlops.DEFAULT_SIZE);
        // measure() runs a warm-up product and 3 timed ones, and draws two random matrices
        double peakPerCpu = 4 * 2.0 * Math.pow(PeakFlops.DEFAULT_SIZE, 3) / (cpuSeconds() - cpu0);
        double peakCpuShare = (cpuSeconds() - cpu0) / (System.nanoTime() / 1e9 - wall0);

        ModelConfig model = options.modelConfig();
        TrainingBench.Options warmupOnly = new TrainingBench.Options(options.vocabSize(), options.dModel(), options.uniqueBlocks(),
                options.loops(), options.headSize(), options.queriesPerKvHead(), options.seqLen(), options.batchSize(), 1,
                Math.max(0, options.warmup() - 1), options.threads());
        Path modelDir = Files.createTempDirectory("throughput-bench");
        double trainTokensPerSecond;
        double trainTokensPerCpuSecond;
        double evalTokensPerSecond;
        double evalTokensPerCpuSecond;
        EvalResult eval;
        try {
            double c0 = cpuSeconds();
            TrainingBench.trainTokensPerSecond(warmupOnly, modelDir);
            double c1 = cpuSeconds();
            trainTokensPerSecond = TrainingBench.trainTokensPerSecond(options, modelDir);
            double c2 = cpuSeconds();
            trainTokensPerCpuSecond = (double) (options.steps() - 1) * options.batchSize() * options.seqLen() / ((c2 - c1) - (c1 - c0));

            TokenStream stream = TrainingBench.randomDocuments(options, evalWindows, 3);
            int[] lengths = TrainingBench.tokenByteLengths(options.vocabSize());
            Evaluator evaluator = new Evaluator(options.seqLen(), evalBatch);
            try (LmModel trained = LmModel.load(modelDir, Device.cpu())) {
                evaluator.evaluate(trained, TrainingBench.randomDocuments(options, evalBatch, 4), lengths); // warm-up
                double e0 = cpuSeconds();
                long t0 = System.nanoTime();
                eval = evaluator.evaluate(trained, stream, lengths);
                evalTokensPerSecond = eval.targets() / ((System.nanoTime() - t0) / 1e9);
                evalTokensPerCpuSecond = eval.targets() / (cpuSeconds() - e0);
            }
        } finally {
            FileTrees.deleteTree(modelDir);
        }
        double trainFlops = ModelFlops.trainingPerToken(model, options.seqLen());
        double forwardFlops = ModelFlops.forwardPerToken(model, options.seqLen());
        print("model", String.format(Locale.ROOT, "V=%d d=%d UxL=%dx%d T=%d B=%d eval B=%d threads %d", model.vocabSize(), model.dModel(),
                model.uniqueBlocks(), model.loops(), options.seqLen(), options.batchSize(), evalBatch, options.threads()));
        print("train_flops_per_token", String.format(Locale.ROOT, "%.4g", trainFlops));
        print("eval_targets", Long.toString(eval.targets()));
        print("per wall second", "");
        print("  peak_gflops", String.format(Locale.ROOT, "%.1f (this process had %.2f cores on average meanwhile)", peak / 1e9, peakCpuShare));
        print("  train_tokens_per_s", String.format(Locale.ROOT, "%.0f", trainTokensPerSecond));
        print("  eval_tokens_per_s", String.format(Locale.ROOT, "%.0f", evalTokensPerSecond));
        print("  eval_over_train", String.format(Locale.ROOT, "%.2f", evalTokensPerSecond / trainTokensPerSecond));
        print("  train_mfu", String.format(Locale.ROOT, "%.3f", PeakFlops.utilization(trainFlops, trainTokensPerSecond, peak)));
        print("  eval_mfu", String.format(Locale.ROOT, "%.3f", PeakFlops.utilization(forwardFlops, evalTokensPerSecond, peak)));
        print("per CPU second", "");
        print("  peak_gflops", String.format(Locale.ROOT, "%.1f", peakPerCpu / 1e9));
        print("  train_tokens", String.format(Locale.ROOT, "%.0f", trainTokensPerCpuSecond));
        print("  eval_tokens", String.format(Locale.ROOT, "%.0f", evalTokensPerCpuSecond));
        print("  eval_over_train", String.format(Locale.ROOT, "%.2f", evalTokensPerCpuSecond / trainTokensPerCpuSecond));
        print("  train_mfu", String.format(Locale.ROOT, "%.3f", PeakFlops.utilization(trainFlops, trainTokensPerCpuSecond, peakPerCpu)));
        print("  eval_mfu", String.format(Locale.ROOT, "%.3f", PeakFlops.utilization(forwardFlops, evalTokensPerCpuSecond, peakPerCpu)));
    }

    /** CPU time of this process, every thread (JVM and torch's native ones), in seconds. */
    private static double cpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }

    private static void print(String key, String value) {
        System.out.println(key + "\t" + value);
    }

    /** --eval-windows W (default 256): the evaluated stream holds W documents of T+1 tokens; --eval-batch (default --batch). */
    private static int intFlag(String[] args, String name, int fallback) {
        List<String> a = Arrays.asList(args);
        int i = a.indexOf(name);
        return i < 0 ? fallback : Integer.parseInt(a.get(i + 1));
    }
}
