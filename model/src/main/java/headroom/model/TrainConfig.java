package headroom.model;

import java.util.Map;

/**
 * How one model is trained (nanoGPT's train.py knobs): batch, AdamW, lr schedule, budget, eval and
 * checkpoint rhythm, system. The budget stops at maxSteps, maxTokens or maxSeconds, whichever first.
 */
public record TrainConfig(
        int batchSize,          // 16: windows per step
        int seqLen,             // 256: tokens per window (T); each window reads T+1
        double lr,              // 6e-4: peak learning rate
        double minLr,           // 6e-5: floor reached at the end of the decay
        int warmupSteps,        // 100: linear warmup from lr/warmupSteps to lr
        Decay decay,            // COSINE or LINEAR, from lr down to minLr over the run
        double weightDecay,     // 0.1: decoupled, matrices only
        double beta1,           // 0.9
        double beta2,           // 0.95
        double eps,             // 1e-8
        double gradClip,        // 1.0: global L2 norm; 0 = off
        long maxSteps,          // 5000: optimizer steps
        long maxTokens,         // 0 = no token budget; else stop after this many training tokens
        double maxSeconds,      // 0 = no time budget; else stop after this many wall-clock seconds
        int evalInterval,       // 250: steps between val evaluations
        int evalDocuments,      // 500: documents of the fixed val (and train) subset
        int checkpointInterval, // 500: steps between checkpoints
        int logInterval,        // 10: steps between progress lines
        long seed,              // 1337: weights and window order
        String device,          // "auto" (GPU when DJL finds one), "cpu" or "gpu"
        int threads,            // 0 = leave torch's setting; else intra-op threads
        double tailFraction) {  // 0.1: the last fraction of the steps whose val move says whether the run finished learning

    public enum Decay { COSINE, LINEAR }

    public TrainConfig {
        positive("batchSize", batchSize);
        positive("seqLen", seqLen);
        ConfigMap.require(lr > 0, "lr", lr, "must be > 0");
        ConfigMap.require(minLr >= 0 && minLr <= lr, "minLr", minLr, "must be in [0, lr=" + lr + "]");
        ConfigMap.require(warmupSteps >= 0, "warmupSteps", warmupSteps, "must be >= 0");
        ConfigMap.require(decay != null, "decay", decay, "must be COSINE or LINEAR");
        ConfigMap.require(weightDecay >= 0, "weightDecay", weightDecay, "must be >= 0");
        ConfigMap.require(beta1 >= 0 && beta1 < 1, "beta1", beta1, "must be in [0, 1)");
        ConfigMap.require(beta2 >= 0 && beta2 < 1, "beta2", beta2, "must be in [0, 1)");
        ConfigMap.require(eps > 0, "eps", eps, "must be > 0");
        ConfigMap.require(gradClip >= 0, "gradClip", gradClip, "must be >= 0 (0 = off)");
        ConfigMap.require(maxSteps >= 1, "maxSteps", maxSteps, "must be >= 1");
        ConfigMap.require(maxTokens >= 0, "maxTokens", maxTokens, "must be >= 0 (0 = no token budget)");
        ConfigMap.require(maxSeconds >= 0, "maxSeconds", maxSeconds, "must be >= 0 (0 = no time budget)");
        positive("evalInterval", evalInterval);
        positive("evalDocuments", evalDocuments);
        positive("checkpointInterval", checkpointInterval);
        positive("logInterval", logInterval);
        ConfigMap.require("auto".equals(device) || "cpu".equals(device) || "gpu".equals(device), "device", device, "must be auto, cpu or gpu");
        ConfigMap.require(threads >= 0, "threads", threads, "must be >= 0 (0 = torch default)");
        ConfigMap.require(tailFraction > 0 && tailFraction < 1, "tailFraction", tailFraction, "must be in (0, 1)");
    }

    /** A config whose convergence tail is DESIGN.md's default, the last 10% of the steps. */
    public TrainConfig(int batchSize, int seqLen, double lr, double minLr, int warmupSteps, Decay decay, double weightDecay, double beta1,
                       double beta2, double eps, double gradClip, long maxSteps, long maxTokens, double maxSeconds, int evalInterval,
                       int evalDocuments, int checkpointInterval, int logInterval, long seed, String device, int threads) {
        this(batchSize, seqLen, lr, minLr, warmupSteps, decay, weightDecay, beta1, beta2, eps, gradClip, maxSteps, maxTokens, maxSeconds,
                evalInterval, evalDocuments, checkpointInterval, logInterval, seed, device, threads, 0.1);
    }

    private static void positive(String field, long value) {
        ConfigMap.require(value >= 1, field, value, "must be >= 1");
    }

    public long tokensPerStep() {
        return (long) batchSize * seqLen;
    }

    /** Steps the lr schedule spans: maxSteps, or fewer when the token budget ends first. */
    public long horizonSteps() {
        if (maxTokens == 0) return maxSteps;
        return Math.max(1, Math.min(maxSteps, (maxTokens + tokensPerStep() - 1) / tokensPerStep()));
    }

    /**
     * The step whose val evaluation opens the convergence tail (the trainer evaluates there whatever the eval interval):
     * {@link headroom.model.train.Convergence#tailStartStep} of the horizon.
     */
    public long tailStartStep() {
        return headroom.model.train.Convergence.tailStartStep(horizonSteps(), tailFraction);
    }

    /** This config for one run: its context, budget and seed (what differs between the candidates and seeds of one conf). */
    public TrainConfig forRun(int runSeqLen, long runMaxSteps, long runMaxTokens, long runSeed) {
        return new TrainConfig(batchSize, runSeqLen, lr, minLr, warmupSteps, decay, weightDecay, beta1, beta2, eps, gradClip, runMaxSteps,
                runMaxTokens, maxSeconds, evalInterval, evalDocuments, checkpointInterval, logInterval, runSeed, device, threads, tailFraction);
    }

    /** This config with peak rate {@code peakLr}, its floor {@code minLrFraction} of it, and {@code runWarmupSteps} of warmup. */
    public TrainConfig withSchedule(double peakLr, double minLrFraction, long runWarmupSteps) {
        return new TrainConfig(batchSize, seqLen, peakLr, peakLr * minLrFraction, Math.toIntExact(runWarmupSteps), decay, weightDecay, beta1, beta2, eps,
                gradClip, maxSteps, maxTokens, maxSeconds, evalInterval, evalDocuments, checkpointInterval, logInterval, seed, device, threads, tailFraction);
    }

    /** This config at peak rate {@code peakLr}, its floor the same fraction of it as now (a pilot's choice). */
    public TrainConfig withLr(double peakLr) {
        return withSchedule(peakLr, minLr / lr, warmupSteps);
    }

    /** This config stopping after {@code seconds} of wall-clock time (the seconds protocol's budget). */
    public TrainConfig withMaxSeconds(double seconds) {
        return new TrainConfig(batchSize, seqLen, lr, minLr, warmupSteps, decay, weightDecay, beta1, beta2, eps, gradClip, maxSteps, maxTokens, seconds,
                evalInterval, evalDocuments, checkpointInterval, logInterval, seed, device, threads, tailFraction);
    }

    /** The config as an ordered map (checkpoints, artifact headers, result.json); {@link #fromMap} reads it back. */
    public Map<String, Object> toMap() {
        return ConfigMap.of(this);
    }

    public static TrainConfig fromMap(Map<String, ?> m) {
        ConfigMap c = new ConfigMap("train config", m, TrainConfig.class);
        return new TrainConfig(c.integer("batchSize"), c.integer("seqLen"), c.number("lr"), c.number("minLr"),
                c.integer("warmupSteps"), c.enumValue("decay", Decay.class), c.number("weightDecay"), c.number("beta1"),
                c.number("beta2"), c.number("eps"), c.number("gradClip"), c.longValue("maxSteps"), c.longValue("maxTokens"),
                c.number("maxSeconds"), c.integer("evalInterval"), c.integer("evalDocuments"), c.integer("checkpointInterval"),
                c.integer("logInterval"), c.longValue("seed"), c.string("device"), c.integer("threads"), c.number("tailFraction"));
    }
}
