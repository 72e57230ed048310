package headroom.model.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import headroom.model.ModelConfig;
import headroom.model.nn.LmModel;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Where a training step's time goes (issue 24, item 1): the step of {@link Trainer} split into its phases (forward
 * with cross-entropy, backward, clip, AdamW, zeroing, the per-step manager's close), timed in Java over many steps,
 * and optionally libtorch's own per-op profile of a few steps as a Chrome trace (bench/op-profile.py sums it).
 *
 * <pre>
 * java ... headroom.model.train.StepProfile --vocab 512 --d 96 --unique 1 --loops 2 --head-size 16 --kv-group 1 \
 *     --seq 128 --batch 16 --steps 30 --warmup 3 --threads 2 [--trace /tmp/trace.json --trace-steps 3]
 * </pre>
 */
public final class StepProfile {

    private StepProfile() {
    }

    public static void main(String[] args) {
        List<String> a = Arrays.asList(args);
        int vocab = flag(a, "--vocab", 512);
        int d = flag(a, "--d", 96);
        int headSize = flag(a, "--head-size", 16);
        int group = flag(a, "--kv-group", 1);
        int t = flag(a, "--seq", 128);
        int b = flag(a, "--batch", 16);
        int steps = flag(a, "--steps", 30);
        int warmup = flag(a, "--warmup", 3);
        int threads = flag(a, "--threads", 2);
        int mlpMult = flag(a, "--mlp-mult", 2);
        int i = a.indexOf("--trace");
        String trace = i < 0 ? null : a.get(i + 1);
        int traced = flag(a, "--trace-steps", 3);
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        int heads = d / headSize;
        ModelConfig config = new ModelConfig(vocab, d, heads, heads / group, flag(a, "--unique", 1), flag(a, "--loops", 2), mlpMult,
                ModelConfig.Activation.RELU2, ModelConfig.HeadMode.TIED, 0, ModelConfig.Conditioning.LOOP_GAIN, false, 10_000, 30, t);
        SplittableRandom random = new SplittableRandom(7);
        long[] inputs = new long[b * t];
        long[] targets = new long[b * t];
        String[] phases = {"forward+ce", "backward", "loss.get", "clip", "adamw", "zero", "close"};
        double[] ms = new double[phases.length];
        double cpu0 = 0;
        double cpu;
        try (LmModel model = new LmModel(config, Device.cpu(), 1);
             AdamW adamW = new AdamW(model.parameters(), model.newChildManager(), 0.9, 0.95, 1e-8, 0.1)) {
            JniUtils.setGradMode(false); // as Trainer: the engine is loaded now
            for (int s = 0; s < warmup + steps; s++) {
                if (s == warmup) cpu0 = cpuSeconds();
                if (trace != null && s == warmup) JniUtils.startProfile(false, true, false);
                for (int k = 0; k < inputs.length; k++) {
                    inputs[k] = random.nextInt(vocab);
                    targets[k] = random.nextInt(vocab);
                }
                long[] tick = new long[phases.length + 1];
                tick[0] = System.nanoTime();
                NDManager step = model.newChildManager();
                NDArray x = step.create(inputs, new Shape(b, t));
                NDArray y = step.create(targets, new Shape(b, t));
                try (ThreadGradients collector = new ThreadGradients()) {
                    NDArray loss = Losses.meanLoss(model.logits(x), y);
                    tick[1] = System.nanoTime();
                    collector.backward(loss);
                    tick[2] = System.nanoTime();
                    loss.getFloat();
                    tick[3] = System.nanoTime();
                }
                Gradients.clipGlobalNorm(model.parameters(), 1.0);
                tick[4] = System.nanoTime();
                adamW.step(1e-3);
                tick[5] = System.nanoTime();
                Gradients.zero(model.parameters());
                tick[6] = System.nanoTime();
                step.close();
                tick[7] = System.nanoTime();
                if (trace != null && s == warmup + Math.min(steps, traced) - 1) JniUtils.stopProfile(trace);
                if (s >= warmup) for (int p = 0; p < phases.length; p++) ms[p] += (tick[p + 1] - tick[p]) / 1e6 / steps;
            }
            cpu = cpuSeconds() - cpu0;
        }
        double total = Arrays.stream(ms).sum();
        System.out.printf(Locale.ROOT, "V=%d d=%d heads=%d/%d T=%d B=%d threads=%d: %.2f ms/step, %.0f tokens/s, %.0f tokens per CPU s%n", vocab, d, heads,
                heads / group, t, b, threads, total, b * t / (total / 1000), (double) b * t * steps / cpu);
        for (int p = 0; p < phases.length; p++) System.out.printf(Locale.ROOT, "  %-12s %8.2f ms  %5.1f%%%n", phases[p], ms[p], 100 * ms[p] / total);
    }

    /** CPU time of this process, every thread, in seconds: steadier than wall time when other jobs share the cores. */
    static double cpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }

    private static int flag(List<String> args, String name, int fallback) {
        int i = args.indexOf(name);
        return i < 0 ? fallback : Integer.parseInt(args.get(i + 1));
    }
}
