package headroom.pipelines.train;

import headroom.pipelines.spark.TaskParallelism;
import com.typesafe.config.Config;
import headroom.pipelines.conf.ConfException;
import headroom.pipelines.conf.ConfReader;
import headroom.pipelines.sweep.RecipeConf;
import headroom.pipelines.sweep.SweepRows.Candidate;
import headroom.model.ModelConfig;
import headroom.model.ParameterCount;
import headroom.model.TrainConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code headroom.train} section (see reference.conf for each key): which sweep candidates to
 * train, with which seeds, under which budget protocol, and how. {@link #train()} is the template every
 * run shares; {@link #forRun} sets what differs per run: the candidate's context T, the steps its budget
 * buys and the seed. {@code threads = 0} resolves here to one torch thread per core, so the trainer
 * always gets an explicit count (STACK.md, DJL threads).
 */
public record TrainConf(List<String> candidates, TrainConfig train, Budget budget, List<Long> seeds, int parallelism,
                        Convergence convergence) {

    /** {@link #parallelism} for {@code auto}: one training per executor core group (see {@link TaskParallelism}). */
    public static final int AUTO = TaskParallelism.AUTO;

    public static final String SECTION = "headroom.train";
    /** Trainings at once on the executors ({@link headroom.pipelines.spark.TaskParallelism}). */
    public static final String PARALLELISM_KEY = SECTION + ".parallelism";

    /**
     * What every candidate gets the same amount of (DESIGN.md, "Experiments a reviewer accepts"): bytes of
     * training text (the default), tokens, FLOPs or seconds, and the amount under each.
     */
    public record Budget(Protocol protocol, long bytes, long tokens, double flops, double seconds) {
    }

    public enum Protocol { BYTES, TOKENS, FLOPS, SECONDS }

    /**
     * When a run counts as finished learning (DESIGN.md, "Runs that finished learning"): its val bpb moved at most
     * {@code maxTailMoveBpb} over the last {@code tailFraction} of its steps; otherwise it is marked still learning.
     */
    public record Convergence(double tailFraction, double maxTailMoveBpb) {
    }

    public TrainConf {
        candidates = List.copyOf(candidates);
        seeds = List.copyOf(seeds);
        if (candidates.isEmpty()) throw ConfException.badValue(SECTION + ".candidates", candidates, "list at least one candidate, e.g. [\"v1024-tied\"]");
    }

    public static TrainConf from(Config config) {
        ConfReader r = new ConfReader(config, SECTION);
        int threads = r.intIn("threads", 0, 4096);
        String device = r.string("device");
        if (!List.of("auto", "cpu", "gpu").contains(device)) throw ConfException.badValue(r.key("device"), device, "use one of auto, cpu, gpu");
        double lr = r.doubleIn("lr", 1e-9, 10);
        double minLr = r.doubleIn("min-lr", 0, 10);
        if (minLr > lr) throw ConfException.badValue(r.key("min-lr"), minLr, "must be at most headroom.train.lr = " + lr);
        ConfReader b = r.section("budget");
        Budget budget = new Budget(b.oneOf("protocol", Protocol.class), b.longIn("bytes", 1, Long.MAX_VALUE),
                b.longIn("tokens", 1, Long.MAX_VALUE), b.doubleIn("flops", 1, 1e30), b.doubleIn("seconds", 1e-3, 1e9));
        ConfReader cv = r.section("convergence");
        Convergence convergence = new Convergence(cv.doubleIn("tail-fraction", 1e-6, 0.999999), cv.doubleIn("max-tail-move-bpb", 0, 100));
        long seed = r.longIn("seed", Long.MIN_VALUE, Long.MAX_VALUE);
        List<Long> seeds = new ArrayList<>();
        for (int i = 0, n = r.intIn("seeds", 1, 1000); i < n; i++) seeds.add(seed + i);
        int seqLen = new ConfReader(config, RecipeConf.SECTION).intIn("seq-len", 0, 1 << 16);
        TrainConfig train = new TrainConfig(
                r.intIn("batch-size", 1, 1 << 16),
                Math.max(1, seqLen), // per run: the candidate's T (forRun)
                lr,
                minLr,
                r.intIn("warmup-steps", 0, Integer.MAX_VALUE),
                r.oneOf("decay", TrainConfig.Decay.class),
                r.doubleIn("weight-decay", 0, 10),
                r.doubleIn("beta1", 0, 0.999999),
                r.doubleIn("beta2", 0, 0.999999),
                r.doubleIn("eps", 1e-30, 1),
                r.doubleIn("grad-clip", 0, 1e6),
                r.longIn("max-steps", 1, Long.MAX_VALUE),
                0, // per run: the tokens the budget buys (forRun)
                budget.protocol() == Protocol.SECONDS ? budget.seconds() : r.doubleIn("max-seconds", 0, 1e9),
                r.intIn("eval-interval", 1, Integer.MAX_VALUE),
                r.intIn("eval-documents", 1, Integer.MAX_VALUE),
                r.intIn("checkpoint-interval", 1, Integer.MAX_VALUE),
                r.intIn("log-interval", 1, Integer.MAX_VALUE),
                seed,
                device,
                threads == 0 ? Runtime.getRuntime().availableProcessors() : threads,
                convergence.tailFraction());
        return new TrainConf(r.stringOrList("candidates"), train, budget, seeds, TaskParallelism.setting(r), convergence);
    }

    /**
     * The run of {@code candidate} (built as {@code model}) with {@code seed}: T is the candidate's; the
     * token budget follows from the protocol (bytes x its train tokens per byte; tokens; FLOPs / FLOPs per
     * token) and the steps are the fewest that spend it, so the schedule decays over exactly the budget.
     * Under the seconds protocol max-steps is the schedule's horizon and max-seconds the budget.
     */
    public TrainConfig forRun(Candidate candidate, ModelConfig model, long seed) {
        int seqLen = candidate.seqLen();
        long tokensPerStep = (long) train.batchSize() * seqLen;
        long tokens = budgetTokens(candidate, model);
        if (tokens == 0) return train.forRun(seqLen, train.maxSteps(), 0, seed);
        long steps = Math.max(1, (tokens + tokensPerStep - 1) / tokensPerStep);
        return train.forRun(seqLen, steps, tokens, seed);
    }

    /** Training tokens the budget buys this candidate; 0 under the seconds protocol. */
    long budgetTokens(Candidate candidate, ModelConfig model) {
        return switch (budget.protocol()) {
            case BYTES -> Math.max(1, Math.round(budget.bytes() * candidate.trainTokensPerByte()));
            case TOKENS -> budget.tokens();
            case FLOPS -> Math.max(1, (long) (budget.flops() / flopsPerToken(model)));
            case SECONDS -> 0;
        };
    }

    /** Training FLOPs per token: 6 x (loops x trunk parameters + V x d for the logits); attention's T^2 term left out. */
    public static double flopsPerToken(ModelConfig model) {
        return 6.0 * ((double) model.loops() * ParameterCount.of(model).trunk() + (double) model.vocabSize() * model.dModel());
    }

    /** The protocol and its amount, for result rows and tables: "bytes 4000000". */
    public String protocolLabel() {
        String p = budget.protocol().name().toLowerCase(Locale.ROOT);
        return switch (budget.protocol()) {
            case BYTES -> p + " " + budget.bytes();
            case TOKENS -> p + " " + budget.tokens();
            case FLOPS -> p + " " + String.format(Locale.ROOT, "%.3g", budget.flops());
            case SECONDS -> p + " " + budget.seconds();
        };
    }
}
