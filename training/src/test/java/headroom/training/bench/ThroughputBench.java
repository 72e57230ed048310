package headroom.training.bench;

import ai.djl.Device;
import headroom.tokenizer.shards.TokenStream;
import headroom.training.ModelConfig;
import headroom.training.ModelFlops;
import headroom.training.model.LmModel;
import headroom.training.train.EvalResult;
import headroom.training.train.Evaluator;
import headroom.training.train.PeakFlops;

import java.io.IOException;
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
 * java ... headroom.training.bench.ThroughputBench --vocab 2048 --d 256 --unique 2 --loops 3 --head-size 32 \
 *     --seq 128 --batch 16 --steps 20 --warmup 3 --threads 2 [--eval-windows 256]
 * </pre>
 *
 * Prints one key-value line per figure: peak GFLOP/s, FLOPs per token, train and eval tokens/s, their
 * ratio, and training MFU (eval MFU from forward FLOPs alone).
 */
public final class ThroughputBench {

    private ThroughputBench() {
    }

    public static void main(String[] args) throws IOException {
        TrainingBench.Options options = TrainingBench.Options.parse(args);
        int evalWindows = evalWindows(args);
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(options.threads()));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");

        double peak = PeakFlops.measure(Device.cpu(), options.threads(), PeakFlops.DEFAULT_SIZE);
        ModelConfig model = options.modelConfig();
        Path modelDir = Files.createTempDirectory("throughput-bench");
        double trainTokensPerSecond;
        double evalTokensPerSecond;
        EvalResult eval;
        try {
            trainTokensPerSecond = TrainingBench.trainTokensPerSecond(options, modelDir);
            TokenStream stream = TrainingBench.randomDocuments(options, evalWindows, 3);
            int[] lengths = TrainingBench.tokenByteLengths(options.vocabSize());
            Evaluator evaluator = new Evaluator(options.seqLen(), options.batchSize());
            try (LmModel trained = LmModel.load(modelDir, Device.cpu())) {
                evaluator.evaluate(trained, TrainingBench.randomDocuments(options, options.batchSize(), 4), lengths); // warm-up
                long t0 = System.nanoTime();
                eval = evaluator.evaluate(trained, stream, lengths);
                evalTokensPerSecond = eval.targets() / ((System.nanoTime() - t0) / 1e9);
            }
        } finally {
            TrainingBench.deleteTree(modelDir);
        }
        double trainFlops = ModelFlops.trainingPerToken(model, options.seqLen());
        double forwardFlops = ModelFlops.forwardPerToken(model, options.seqLen());
        print("model", String.format(Locale.ROOT, "V=%d d=%d UxL=%dx%d T=%d B=%d threads %d", model.vocabSize(), model.dModel(),
                model.uniqueBlocks(), model.loops(), options.seqLen(), options.batchSize(), options.threads()));
        print("peak_gflops", String.format(Locale.ROOT, "%.1f", peak / 1e9));
        print("train_flops_per_token", String.format(Locale.ROOT, "%.4g", trainFlops));
        print("train_tokens_per_s", String.format(Locale.ROOT, "%.0f", trainTokensPerSecond));
        print("train_mfu", String.format(Locale.ROOT, "%.3f", PeakFlops.utilization(trainFlops, trainTokensPerSecond, peak)));
        print("eval_tokens_per_s", String.format(Locale.ROOT, "%.0f", evalTokensPerSecond));
        print("eval_mfu", String.format(Locale.ROOT, "%.3f", PeakFlops.utilization(forwardFlops, evalTokensPerSecond, peak)));
        print("eval_over_train", String.format(Locale.ROOT, "%.2f", evalTokensPerSecond / trainTokensPerSecond));
        print("eval_targets", Long.toString(eval.targets()));
    }

    private static void print(String key, String value) {
        System.out.println(key + "\t" + value);
    }

    /** --eval-windows W (default 256): the evaluated stream holds W documents of T+1 tokens. */
    private static int evalWindows(String[] args) {
        List<String> a = Arrays.asList(args);
        int i = a.indexOf("--eval-windows");
        return i < 0 ? 256 : Integer.parseInt(a.get(i + 1));
    }
}
