package headroom.model.bench;

import headroom.core.io.FileTrees;
import headroom.model.train.TrainLog;
import headroom.core.TokenStream;
import headroom.model.ModelConfig;
import headroom.model.ParameterCount;
import headroom.model.TrainConfig;
import headroom.model.train.Trainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Training throughput of the real {@link Trainer} on random tokens, for bench/training-bench.sh
 * (issue 4, "Benchmark"); bench/torch_reference.py is the same model and step in plain PyTorch.
 *
 * <pre>
 * java ... headroom.model.bench.TrainingBench --vocab 1024 --d 128 --unique 2 --loops 2 --head-size 32 \
 *     --seq 128 --batch 16 --steps 30 --warmup 3 --threads 2
 * </pre>
 *
 * Runs warmup + steps optimizer steps through {@code Trainer.run} and times the steps after the
 * warmup from the trainer's own per-step times ({@code step_ms} in train_log.csv: window fill,
 * forward, cross-entropy, backward, clip, AdamW), so evaluation, checkpoint and JVM start are out.
 * Prints one TSV line to stdout: {@code djl V d params tokens_per_s peak_rss_mb}, where the peak
 * RSS is the process's VmHWM (JVM heap, DJL natives and torch's tensors together).
 */
public final class TrainingBench {

    private static final int BOS = 0;

    private TrainingBench() {
    }

    public static void main(String[] args) throws IOException {
        Options options = Options.parse(args);
        // the engine reads these once, when it loads: set before anything touches DJL
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(options.threads()));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");

        Path modelDir = Files.createTempDirectory("training-bench");
        double tokensPerSecond;
        try {
            tokensPerSecond = trainTokensPerSecond(options, modelDir);
        } finally {
            FileTrees.deleteTree(modelDir);
        }
        System.out.printf(Locale.ROOT, "djl\t%d\t%d\t%d\t%.0f\t%.0f%n", options.vocabSize(), options.dModel(),
                ParameterCount.of(options.modelConfig()).total(), tokensPerSecond, peakRssMb());
    }

    /** Trains warmup + steps steps into {@code modelDir} (the final model stays there); tokens/s of the timed steps. */
    static double trainTokensPerSecond(Options options, Path modelDir) throws IOException {
        TrainConfig train = options.trainConfig();
        new Trainer().run(options.modelConfig(), train, randomDocuments(options, 2048, 1), randomDocuments(options, 1, 2),
                tokenByteLengths(options.vocabSize()), modelDir, false);
        double timedMs = timedStepMs(modelDir.resolve(TrainLog.FILE), options.warmup(), options.steps());
        return (double) options.steps() * train.tokensPerStep() / (timedMs / 1000);
    }

    /** The command line: every flag below is required except --kv-group (query heads per KV head, default 2). */
    record Options(int vocabSize, int dModel, int uniqueBlocks, int loops, int headSize, int queriesPerKvHead,
                   int seqLen, int batchSize, int steps, int warmup, int threads) {

        Options {
            if (dModel % headSize != 0) throw new IllegalArgumentException("d must be a multiple of head-size=" + headSize + ", got " + dModel);
            if ((dModel / headSize) % queriesPerKvHead != 0) {
                throw new IllegalArgumentException("kv-group must divide the number of heads " + dModel / headSize + ", got " + queriesPerKvHead);
            }
            if (steps < 1) throw new IllegalArgumentException("steps must be >= 1, got " + steps);
            if (warmup < 0) throw new IllegalArgumentException("warmup must be >= 0, got " + warmup);
            if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }

        static Options parse(String[] args) {
            if (args.length % 2 != 0) throw new IllegalArgumentException("expected --flag value pairs, got " + Arrays.toString(args));
            List<String> a = Arrays.asList(args);
            return new Options(flag(a, "--vocab", null), flag(a, "--d", null), flag(a, "--unique", null), flag(a, "--loops", null),
                    flag(a, "--head-size", null), flag(a, "--kv-group", 2), flag(a, "--seq", null), flag(a, "--batch", null),
                    flag(a, "--steps", null), flag(a, "--warmup", null), flag(a, "--threads", null));
        }

        private static int flag(List<String> args, String name, Integer fallback) {
            int i = args.indexOf(name);
            if (i < 0 || i % 2 != 0) {
                if (fallback != null) return fallback;
                throw new IllegalArgumentException("missing " + name + " (flags: --vocab --d --unique --loops --head-size [--kv-group]"
                        + " --seq --batch --steps --warmup --threads)");
            }
            return Integer.parseInt(args.get(i + 1));
        }

        /** The conf defaults of the family (pipelines reference.conf): MLP 2x ReLU^2, tied head, per-loop gains, soft-cap 30. */
        ModelConfig modelConfig() {
            int heads = dModel / headSize;
            return new ModelConfig(vocabSize, dModel, heads, heads / queriesPerKvHead, uniqueBlocks, loops, 2,
                    ModelConfig.Activation.RELU2, ModelConfig.HeadMode.TIED, 0, ModelConfig.Conditioning.LOOP_GAIN,
                    false, 10_000, 30, seqLen);
        }

        /** AdamW as in reference.conf; eval, checkpoints and progress lines pushed out of the run (one eval at each end). */
        TrainConfig trainConfig() {
            return new TrainConfig(batchSize, seqLen, 3e-3, 3e-4, warmup, TrainConfig.Decay.COSINE, 0.1, 0.9, 0.95, 1e-8, 1.0,
                    warmup + steps, 0, 0, Integer.MAX_VALUE, 1, Integer.MAX_VALUE, Integer.MAX_VALUE, 1337, "cpu", threads);
        }
    }

    /**
     * {@code documents} documents of T+1 tokens each, {@code [BOS] + ids} with ids uniform in [1, V),
     * so the one-document evaluation subsets are a single window. Each holds T text bytes (one per id).
     */
    static TokenStream randomDocuments(Options options, int documents, long seed) {
        int length = options.seqLen() + 1;
        SplittableRandom random = new SplittableRandom(seed);
        char[] tokens = new char[documents * length];
        long[] docStart = new long[documents];
        int[] docBytes = new int[documents];
        for (int doc = 0; doc < documents; doc++) {
            docStart[doc] = (long) doc * length;
            docBytes[doc] = length - 1;
            tokens[doc * length] = BOS;
            for (int i = 1; i < length; i++) tokens[doc * length + i] = (char) random.nextInt(1, options.vocabSize());
        }
        return new TokenStream(tokens, docStart, docBytes);
    }

    /** One byte per id, none for BOS: matches {@link #randomDocuments}'s byte counts, so the evaluator's audit holds. */
    static int[] tokenByteLengths(int vocabSize) {
        int[] lengths = new int[vocabSize];
        Arrays.fill(lengths, 1);
        lengths[BOS] = 0;
        return lengths;
    }

    /** Sum of step_ms over the log's training rows with step >= warmup; there must be exactly {@code steps}. */
    static double timedStepMs(Path log, int warmup, int steps) throws IOException {
        List<String> lines = Files.readAllLines(log);
        List<String> header = Arrays.asList(lines.get(0).split(",", -1));
        int stepColumn = header.indexOf("step");
        int msColumn = header.indexOf("step_ms");
        if (stepColumn < 0 || msColumn < 0) throw new IllegalStateException(log + " has no step or step_ms column: " + header);
        double sum = 0;
        int counted = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            if (cells[msColumn].isEmpty() || Long.parseLong(cells[stepColumn]) < warmup) continue; // eval-only row or warmup
            sum += Double.parseDouble(cells[msColumn]);
            counted++;
        }
        if (counted != steps) throw new IllegalStateException(log + " has " + counted + " timed steps, expected " + steps);
        return sum;
    }

    /** VmHWM (peak resident set) of this process in MB. */
    static double peakRssMb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0; // kB
        }
        throw new IllegalStateException("/proc/self/status has no VmHWM line");
    }
}
