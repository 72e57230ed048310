package headroom.pipelines.train;

import headroom.pipelines.spark.TaskParallelism;
import com.typesafe.config.Config;
import headroom.pipelines.conf.ConfException;
import headroom.pipelines.conf.ConfReader;
import headroom.pipelines.sweep.RecipeConf;
import headroom.pipelines.sweep.SweepRows.Candidate;
import headroom.model.CandidateNames;
import headroom.model.ModelConfig;
import headroom.model.ModelFlops;
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
                        Convergence convergence, double warmupFraction, double minLrFraction, LrPilotConf lrPilot) {

    /** {@link #parallelism} for {@code auto}: one training per executor core group (see {@link TaskParallelism}). */
    public static final int AUTO = TaskParallelism.AUTO;

    public static final String SECTION = "headroom.train";
    /** Trainings at once on the executors ({@link headroom.pipelines.spark.TaskParallelism}). */
    public static final String PARALLELISM_KEY = SECTION + ".parallelism";

    /**
     * What every candidate gets the same amount of (DESIGN.md, "Experiments a reviewer accepts"): bytes of training text
     * (the default), tokens, FLOPs or seconds, and the amount under each. Every protocol of {@code protocols} trains the
     * candidates once (the first keeps the plain model names); {@code primary} is the protocol whose verdicts the
     * hypothesis report gives first, for the reason {@code primaryWhy}. {@code flops} 0: the mean over the trained
     * candidates of the FLOPs the bytes budget gives each ({@link #commonFlops}).
     */
    public record Budget(List<Protocol> protocols, long bytes, long tokens, double flops, double seconds, Protocol primary, String primaryWhy) {
        public Budget {
            protocols = List.copyOf(protocols);
        }

        /** The protocol a single run is planned under when none is named: the first listed. */
        public Protocol protocol() {
            return protocols.get(0);
        }
    }

    public enum Protocol {
        BYTES, TOKENS, FLOPS, SECONDS;

        /** The protocol's conf word, and the first word of every protocol label: "flops". */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * When a run counts as finished learning (DESIGN.md, "Runs that finished learning"): its val bpb moved at most
     * {@code maxTailMoveBpb} over the last {@code tailFraction} of its steps; otherwise it is marked still learning.
     */
    public record Convergence(double tailFraction, double maxTailMoveBpb) {
    }

    /**
     * The learning rate of each candidate, chosen by a pilot: {@code steps} steps at each rate of {@code grid}, judged on
     * the last {@code holdoutDocuments} documents of the train split (never val), which the pilot does not train on.
     * An empty grid: every candidate trains at {@code headroom.train.lr}.
     */
    public record LrPilotConf(List<Double> grid, int steps, int holdoutDocuments) {
        public LrPilotConf {
            grid = List.copyOf(grid);
        }
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
        double minLrFraction = r.doubleIn("min-lr-fraction", 0, 1);
        ConfReader b = r.section("budget");
        List<Protocol> protocols = new ArrayList<>();
        for (String p : b.stringOrList("protocol")) {
            Protocol protocol = protocol(b.key("protocol"), p);
            if (protocols.contains(protocol)) throw ConfException.badValue(b.key("protocol"), p, "list each protocol once");
            protocols.add(protocol);
        }
        if (protocols.isEmpty()) throw ConfException.badValue(b.key("protocol"), "[]", "name at least one of " + ConfReader.allowed(Protocol.class));
        // a single protocol is the primary one whatever primary says; among several, primary must be one of them
        Protocol primary = protocol(b.key("primary"), b.string("primary"));
        if (protocols.size() == 1) primary = protocols.get(0);
        if (!protocols.contains(primary)) {
            throw ConfException.badValue(b.key("primary"), b.string("primary"), "must be one of the protocols trained, " + b.key("protocol") + " = " + protocols);
        }
        double flops = b.doubleIn("flops", 0, 1e30);
        if (flops > 0 && flops < 1) throw ConfException.badValue(b.key("flops"), flops, "must be 0 (auto) or at least 1");
        Budget budget = new Budget(protocols, b.longIn("bytes", 1, Long.MAX_VALUE), b.longIn("tokens", 1, Long.MAX_VALUE), flops,
                b.doubleIn("seconds", 1e-3, 1e9), primary, b.string("primary-why"));
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
                lr * minLrFraction,
                0, // per run: warmup-fraction of its steps (forRun)
                r.oneOf("decay", TrainConfig.Decay.class),
                r.doubleIn("weight-decay", 0, 10),
                r.doubleIn("beta1", 0, 0.999999),
                r.doubleIn("beta2", 0, 0.999999),
                r.doubleIn("eps", 1e-30, 1),
                r.doubleIn("grad-clip", 0, 1e6),
                r.longIn("max-steps", 1, Long.MAX_VALUE),
                0, // per run: the tokens the budget buys (forRun)
                r.doubleIn("max-seconds", 0, 1e9), // per run: the seconds protocol's budget (forRun)
                r.intIn("eval-interval", 1, Integer.MAX_VALUE),
                r.intIn("eval-documents", 1, Integer.MAX_VALUE),
                r.intIn("checkpoint-interval", 1, Integer.MAX_VALUE),
                r.intIn("log-interval", 1, Integer.MAX_VALUE),
                seed,
                device,
                threads == 0 ? Runtime.getRuntime().availableProcessors() : threads,
                convergence.tailFraction());
        double warmupFraction = r.doubleIn("warmup-fraction", 0, 0.5);
        ConfReader pilot = r.section("lr-pilot");
        LrPilotConf lrPilot = new LrPilotConf(pilot.doubleList("grid"), pilot.intIn("steps", 1, 1_000_000), pilot.intIn("holdout-documents", 1, 1_000_000));
        for (double x : lrPilot.grid()) if (!(x > 0 && x <= 10)) throw ConfException.badValue(pilot.key("grid"), x, "every learning rate must be in (0, 10]");
        return new TrainConf(r.stringOrList("candidates"), train, budget, seeds, TaskParallelism.setting(r), convergence, warmupFraction,
                minLrFraction, lrPilot);
    }

    private static Protocol protocol(String key, String word) {
        try {
            return Protocol.valueOf(word.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ConfException.badValue(key, word, "use one of " + ConfReader.allowed(Protocol.class));
        }
    }

    /**
     * The run of {@code candidate} (built as {@code model}) with {@code seed} under {@code protocol}: T is the candidate's;
     * the steps follow from the protocol (bytes: the fewest that spend bytes x its train tokens per byte; tokens: the
     * same; FLOPs: the step count whose FLOPs come nearest {@code flops}, so every candidate spends the same FLOPs within
     * half a step's; seconds: max-steps is the schedule's horizon and the seconds the budget). Warmup is warmup-fraction
     * of the steps, and the learning rate decays to min-lr-fraction of its peak over exactly them.
     */
    public TrainConfig forRun(Candidate candidate, ModelConfig model, long seed, Protocol protocol, double flops) {
        int seqLen = candidate.seqLen();
        long tokensPerStep = (long) train.batchSize() * seqLen;
        TrainConfig run = switch (protocol) {
            case BYTES, TOKENS -> {
                long tokens = protocol == Protocol.BYTES ? bytesTokens(candidate) : budget.tokens();
                yield train.forRun(seqLen, Math.max(1, (tokens + tokensPerStep - 1) / tokensPerStep), tokens, seed);
            }
            case FLOPS -> {
                long steps = Math.max(1, Math.round(flops / (flopsPerToken(model, seqLen) * tokensPerStep)));
                yield train.forRun(seqLen, steps, steps * tokensPerStep, seed);
            }
            case SECONDS -> train.forRun(seqLen, train.maxSteps(), 0, seed).withMaxSeconds(budget.seconds());
        };
        return run.withSchedule(run.lr(), minLrFraction, Math.round(warmupFraction * run.horizonSteps()));
    }

    /** The run under the first protocol listed, a FLOPs budget of auto resolved over this candidate alone. */
    public TrainConfig forRun(Candidate candidate, ModelConfig model, long seed) {
        return forRun(candidate, model, seed, budget.protocol(), commonFlops(List.of(new Arm(candidate, model))));
    }

    /**
     * The template of a candidate's learning rate pilot: lr-pilot.steps steps from the first seed, with this conf's warmup
     * and floor fractions; the pilot sets the rate.
     */
    public TrainConfig pilotRun(Candidate candidate, ModelConfig model) {
        TrainConfig run = train.forRun(candidate.seqLen(), lrPilot.steps(), 0, train.seed());
        return run.withSchedule(train.lr(), minLrFraction, Math.round(warmupFraction * lrPilot.steps()));
    }

    /** A candidate as trained: its sweep row and the model built from it. */
    public record Arm(Candidate candidate, ModelConfig model) {
    }

    /**
     * The FLOPs every candidate gets under the flops protocol: headroom.train.budget.flops, or when that is 0 (auto) the
     * mean over {@code arms} of the FLOPs each spends under the bytes budget, so the FLOPs-matched design costs as much
     * compute in all as the bytes-matched one, shared equally.
     */
    public double commonFlops(List<Arm> arms) {
        if (budget.flops() > 0) return budget.flops();
        double sum = 0;
        for (Arm a : arms) {
            TrainConfig bytes = forRun(a.candidate(), a.model(), 0, Protocol.BYTES, 0);
            sum += bytes.maxSteps() * bytes.tokensPerStep() * flopsPerToken(a.model(), a.candidate().seqLen());
        }
        return sum / arms.size();
    }

    /** Training tokens the bytes budget buys this candidate: bytes x its train tokens per byte. */
    long bytesTokens(Candidate candidate) {
        return Math.max(1, Math.round(budget.bytes() * candidate.trainTokensPerByte()));
    }

    /** Training FLOPs per token at context T: 6N + attention, every loop counted ({@link ModelFlops#trainingPerToken}). */
    public static double flopsPerToken(ModelConfig model, int seqLen) {
        return ModelFlops.trainingPerToken(model, seqLen);
    }

    /** The model name of a (candidate, seed) run under {@code protocol}: the first protocol listed keeps the plain name. */
    public String modelName(String candidate, long seed, Protocol protocol) {
        String plain = CandidateNames.model(candidate, seed);
        return protocol == budget.protocol() ? plain : plain + "-" + protocol.word();
    }

    /** The protocol and its amount, for result rows and tables: "bytes 4000000", "flops 4.45e+12". */
    public String protocolLabel(Protocol protocol, double flops) {
        return protocol.word() + " " + switch (protocol) {
            case BYTES -> Long.toString(budget.bytes());
            case TOKENS -> Long.toString(budget.tokens());
            case FLOPS -> String.format(Locale.ROOT, "%.3g", flops);
            case SECONDS -> Double.toString(budget.seconds());
        };
    }

    /** The label of the first protocol listed (a FLOPs budget of auto reads "flops auto"). */
    public String protocolLabel() {
        return budget.protocol() == Protocol.FLOPS && budget.flops() == 0 ? "flops auto" : protocolLabel(budget.protocol(), budget.flops());
    }
}
