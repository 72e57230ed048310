package headroom.model.bench;

import ai.djl.Device;
import headroom.core.TokenStream;
import headroom.model.nn.LmModel;
import headroom.model.train.EvalResult;
import headroom.model.train.Evaluator;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The score stage's evaluation work for one model (issue 14, item 11): the val stream at the trained L
 * and at each L', as separate passes (how score evaluated before) and as one shared pass
 * ({@link Evaluator#evaluateAtLoops}), alternating, wall and CPU seconds of each. The model is the
 * family's default at the given shape with random weights (the cost does not depend on the values)
 * and the stream random ids; the bpb of both ways must be equal, and the bench stops otherwise.
 *
 * <pre>
 * java ... headroom.model.bench.ScoreEvalBench --vocab 512 --d 256 --unique 2 --loops 2 --head-size 32 \
 *     --seq 128 --batch 16 --steps 1 --warmup 0 --threads 2 --windows 700 --eval-loops 3,4 --rounds 2
 * </pre>
 */
public final class ScoreEvalBench {

    private ScoreEvalBench() {
    }

    public static void main(String[] args) {
        List<String> a = Arrays.asList(args);
        TrainingBench.Options options = TrainingBench.Options.parse(args);
        int windows = Integer.parseInt(a.get(a.indexOf("--windows") + 1));
        int rounds = a.contains("--rounds") ? Integer.parseInt(a.get(a.indexOf("--rounds") + 1)) : 2;
        int[] extra = Arrays.stream(a.get(a.indexOf("--eval-loops") + 1).split(",")).mapToInt(Integer::parseInt).toArray();
        int[] loops = IntStream.concat(IntStream.of(options.loops()), Arrays.stream(extra)).distinct().sorted().toArray();
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(options.threads()));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");

        TokenStream stream = TrainingBench.randomDocuments(options, windows, 5);
        int[] lengths = TrainingBench.tokenByteLengths(options.vocabSize());
        Evaluator evaluator = new Evaluator(options.seqLen(), options.batchSize());
        try (LmModel model = new LmModel(options.modelConfig(), Device.cpu(), 1)) {
            evaluator.evaluate(model, TrainingBench.randomDocuments(options, options.batchSize(), 6), lengths); // warm-up
            for (int round = 1; round <= rounds; round++) {
                double c0 = cpuSeconds();
                long t0 = System.nanoTime();
                double[] separate = new double[loops.length];
                for (int i = 0; i < loops.length; i++) separate[i] = evaluator.evaluate(model, stream, lengths, loops[i]).bpb();
                double c1 = cpuSeconds();
                long t1 = System.nanoTime();
                Map<Integer, EvalResult> shared = evaluator.evaluateAtLoops(model, stream, lengths, loops);
                double c2 = cpuSeconds();
                long t2 = System.nanoTime();
                for (int i = 0; i < loops.length; i++) {
                    if (separate[i] != shared.get(loops[i]).bpb()) {
                        throw new IllegalStateException("L=" + loops[i] + ": separate " + separate[i] + " != shared " + shared.get(loops[i]).bpb());
                    }
                }
                System.out.printf(Locale.ROOT, "round %d | V=%d d=%d L=%s | %d targets | separate passes %.1f s wall %.1f s CPU"
                                + " | shared pass %.1f s wall %.1f s CPU | CPU ratio %.2f | bpb equal%n", round, options.vocabSize(),
                        options.dModel(), Arrays.toString(loops), stream.size() - 1, (t1 - t0) / 1e9, c1 - c0, (t2 - t1) / 1e9, c2 - c1,
                        (c1 - c0) / (c2 - c1));
            }
        }
    }

    private static double cpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }
}
