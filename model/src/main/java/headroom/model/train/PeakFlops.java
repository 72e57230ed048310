package headroom.model.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import headroom.model.Devices;

/**
 * The FLOP rate the engine actually reaches here: a large square fp32 matmul through DJL's PyTorch
 * engine on the training's device with the training's intra-op threads, best of a few repeats. It is
 * the denominator of model FLOPs utilization (MFU): what fraction of the matmul rate this machine
 * reaches a training step turns into model arithmetic ({@link headroom.model.ModelFlops}).
 * One instance measures once, at its first use, and answers the same value after (once per run).
 */
public final class PeakFlops {

    /** 2 x 2048^3 = 17.2 GFLOP per product: about 0.1 s at 150 GFLOP/s, large enough to be BLAS-bound. */
    public static final int DEFAULT_SIZE = 2048;
    private static final int REPEATS = 3;

    private final String device;
    private final int threads;
    private double measured = Double.NaN;

    private static final java.util.Map<String, PeakFlops> SHARED = new java.util.concurrent.ConcurrentHashMap<>();

    /** One probe per (device, threads) in this process: every training of a run reports against the same peak. */
    public static PeakFlops shared(String device, int threads) {
        return SHARED.computeIfAbsent(device + "/" + threads, k -> new PeakFlops(device, threads));
    }

    /** {@code device} as the train conf names it (auto, cpu, gpu); {@code threads} > 0 sets torch's intra-op threads, as Trainer does. */
    public PeakFlops(String device, int threads) {
        this.device = device;
        this.threads = threads;
    }

    /** FLOP/s, measured at the first call. */
    public synchronized double flopsPerSecond() {
        if (Double.isNaN(measured)) measured = measure(Devices.resolve(device), threads, DEFAULT_SIZE);
        return measured;
    }

    /** FLOP/s of the fastest of a few {@code size x size} fp32 products on {@code device}. */
    public static double measure(Device device, int threads, int size) {
        try (NDManager m = NDManager.newBaseManager(device)) { // loads the engine: threads can only be set after that
            if (threads > 0) JniUtils.setNumThreads(threads);
            NDArray a = m.randomNormal(new Shape(size, size));
            NDArray b = m.randomNormal(new Shape(size, size));
            a.matMul(b).close(); // warm-up: thread pool, BLAS buffers
            long best = Long.MAX_VALUE;
            for (int i = 0; i < REPEATS; i++) {
                long t0 = System.nanoTime();
                NDArray c = a.matMul(b);
                c.getFloat(0, 0); // wait for the product (an asynchronous device would return early)
                best = Math.min(best, System.nanoTime() - t0);
                c.close();
            }
            return 2.0 * size * size * size / (best / 1e9);
        }
    }

    /** Model FLOPs utilization: achieved model FLOP/s over the measured peak. */
    public static double utilization(double flopsPerToken, double tokensPerSecond, double peakFlopsPerSecond) {
        return flopsPerToken * tokensPerSecond / peakFlopsPerSecond;
    }
}
