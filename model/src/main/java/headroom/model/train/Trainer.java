package headroom.model.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import headroom.core.TokenStream;
import headroom.model.LrSchedule;
import headroom.model.Devices;
import headroom.model.ModelConfig;
import headroom.model.TrainConfig;
import headroom.model.nn.LmModel;
import headroom.model.nn.ModelFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Trains one model into a folder, in nanoGPT's order: lr -> evaluate every evalInterval ->
 * checkpoint -> forward/backward in a per-step manager -> clip -> AdamW -> log. Stops at the first
 * of maxSteps, maxTokens, maxSeconds or a stop request (SIGTERM), checkpointing before it exits.
 * On a normal end it writes the final {@code model.json} and {@code weights.bin} ({@link LmModel#load}).
 */
public final class Trainer {

    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

    private final StopRequest stopRequest;
    private final boolean catchSigterm;
    private final OptionalInt assignedGpu;

    public Trainer() {
        this(StopRequest.NEVER);
    }

    /** {@code stopRequest} is asked before every step, besides SIGTERM. */
    public Trainer(StopRequest stopRequest) {
        this(stopRequest, true, OptionalInt.empty());
    }

    /**
     * {@code catchSigterm}: turn SIGTERM into a checkpoint and a stop; only for a process that runs one training at a
     * time and owns its signals (not a Spark executor: its trainings share the JVM, and the executor's own handler must
     * stay). {@code assignedGpu}: the GPU index a scheduler gave this training, used instead of DJL's default GPU.
     */
    public Trainer(StopRequest stopRequest, boolean catchSigterm, OptionalInt assignedGpu) {
        this.stopRequest = stopRequest;
        this.catchSigterm = catchSigterm;
        this.assignedGpu = assignedGpu;
    }

    /**
     * Trains on {@code train}, evaluates on the first {@code evalDocuments} of {@code val} (byte
     * audit with {@code tokenByteLengths}), writes logs and checkpoints under {@code modelDir}.
     * With {@code resume} it continues from the latest checkpoint there, if any.
     */
    public TrainResult run(ModelConfig modelConfig, TrainConfig trainConfig, TokenStream train, TokenStream val,
                           int[] tokenByteLengths, Path modelDir, boolean resume) throws IOException {
        if (trainConfig.seqLen() > modelConfig.maxSeqLen()) {
            throw new IllegalArgumentException("seqLen " + trainConfig.seqLen() + " exceeds the model's maxSeqLen " + modelConfig.maxSeqLen());
        }
        Device device = Devices.resolve(trainConfig.device(), assignedGpu);
        if (trainConfig.threads() > 0) JniUtils.setNumThreads(trainConfig.threads());
        // libtorch's grad mode is per thread, and DJL turns it off only on the thread that loads the engine: a training on
        // any other thread (a Spark task's) would record its in-place weight updates and fail on them.
        JniUtils.setGradMode(false);
        Files.createDirectories(modelDir);
        try (LmModel model = new LmModel(modelConfig, device, trainConfig.seed());
             AdamW adamW = new AdamW(model.parameters(), model.newChildManager(), trainConfig.beta1(), trainConfig.beta2(),
                     trainConfig.eps(), trainConfig.weightDecay());
             StopRequest.Sigterm sigterm = catchSigterm ? StopRequest.onSigterm() : null) {
            TrainState state = startState(modelDir, resume, model, adamW, trainConfig);
            try (TrainLog log = TrainLog.open(modelDir, state.step)) {
                Loop loop = new Loop(model, adamW, trainConfig, train, val.firstDocuments(trainConfig.evalDocuments()),
                        train.firstDocuments(trainConfig.evalDocuments()), tokenByteLengths, modelDir, log, state,
                        step -> (sigterm != null && sigterm.stopBefore(step)) || stopRequest.stopBefore(step));
                return loop.run();
            }
        }
    }

    private static TrainState startState(Path modelDir, boolean resume, LmModel model, AdamW adamW, TrainConfig trainConfig) throws IOException {
        if (!resume) {
            Checkpoints.clear(modelDir);
            ModelFiles.delete(modelDir);
            return new TrainState();
        }
        Optional<Path> latest = Checkpoints.latest(modelDir);
        if (latest.isEmpty()) {
            LOG.info("resume: no checkpoint under {}, starting from step 0", modelDir);
            return new TrainState();
        }
        TrainState state = Checkpoints.restore(latest.get(), model, adamW, trainConfig);
        LOG.info("resume: {} at step {} ({} tokens seen)", latest.get(), state.step, state.tokensSeen);
        return state;
    }


    /** One run's loop; its counters live in {@link TrainState}. */
    private static final class Loop {
        private final LmModel model;
        private final AdamW adamW;
        private final TrainConfig config;
        private final TrainWindows windows;
        private final TokenStream valSubset;
        private final TokenStream trainSubset;
        private final int[] tokenByteLengths;
        private final Path modelDir;
        private final TrainLog log;
        private final TrainState state;
        private final StopRequest stop;
        private final LrSchedule schedule;
        private final Evaluator evaluator;
        private final MemoryProbe memory = new MemoryProbe();
        private final long resumedAt;
        private final long startNanos = System.nanoTime();
        private double meanStepMs = Double.NaN;

        Loop(LmModel model, AdamW adamW, TrainConfig config, TokenStream train, TokenStream valSubset, TokenStream trainSubset,
             int[] tokenByteLengths, Path modelDir, TrainLog log, TrainState state, StopRequest stop) {
            this.model = model;
            this.adamW = adamW;
            this.config = config;
            this.windows = new TrainWindows(train, tokenByteLengths, config.seqLen(), config.seed());
            this.valSubset = valSubset;
            this.trainSubset = trainSubset;
            this.tokenByteLengths = tokenByteLengths;
            this.modelDir = modelDir;
            this.log = log;
            this.state = state;
            this.stop = stop;
            this.schedule = LrSchedule.of(config);
            this.evaluator = new Evaluator(config.seqLen(), config.batchSize());
            this.resumedAt = state.step;
        }

        TrainResult run() throws IOException {
            LOG.info("train | {} tokens per step (batch {} x seq {}) | horizon {} steps | val subset {} docs, {} bytes | device {}",
                    config.tokensPerStep(), config.batchSize(), config.seqLen(), config.horizonSteps(), valSubset.documents(),
                    valSubset.textBytes(), model.device());
            long[] inputs = new long[config.batchSize() * config.seqLen()];
            long[] targets = new long[inputs.length];
            String stopReason;
            while (true) {
                stopReason = budgetReason();
                if (stopReason == null && stop.stopBefore(state.step)) stopReason = "signal";
                double lr = schedule.at(state.step);
                boolean finished = stopReason != null && !"signal".equals(stopReason);
                double valLoss = Double.NaN;
                // the convergence tail's start is always evaluated: its val bpb against the end's says whether the run finished learning
                if (state.step % config.evalInterval() == 0 || state.step == config.tailStartStep() || finished) valLoss = evaluate();
                if (state.step > resumedAt && (stopReason != null || state.step % config.checkpointInterval() == 0)) {
                    Checkpoints.write(modelDir, state, seconds(), model, adamW, config);
                }
                if (stopReason != null) {
                    if (!Double.isNaN(valLoss)) logRow(state.step, Double.NaN, valLoss, lr, Double.NaN);
                    break;
                }
                long t0 = System.nanoTime();
                state.lastTrainLoss = trainStep(lr, inputs, targets);
                double stepMs = (System.nanoTime() - t0) / 1e6;
                meanStepMs = Double.isNaN(meanStepMs) ? stepMs : 0.9 * meanStepMs + 0.1 * stepMs;
                state.step++;
                state.windowIndex += config.batchSize();
                state.tokensSeen += config.tokensPerStep();
                logRow(state.step - 1, state.lastTrainLoss, valLoss, lr, stepMs);
                if (state.step % config.logInterval() == 0) progressLine(lr, stepMs);
            }
            if (!"signal".equals(stopReason)) ModelFiles.write(modelDir, model.config(), model.weights());
            LOG.info("train done | {} | step {} | {} tokens | {} s | final val bpb {} | best {} | peak heap {} MB, rss {} MB",
                    stopReason, state.step, state.tokensSeen, String.format("%.1f", seconds()), fmt(state.lastValBpb),
                    fmt(state.bestValBpb), String.format("%.0f", memory.peakHeapMb()), String.format("%.0f", memory.peakRssMb()));
            return new TrainResult(state.step, state.tokensSeen, seconds(), state.lastTrainLoss, state.lastValBpb, state.bestValBpb,
                    model.device().toString(), memory.peakHeapMb(), memory.peakRssMb(), stopReason);
        }

        private String budgetReason() {
            if (state.step >= config.maxSteps()) return "maxSteps";
            if (config.maxTokens() > 0 && state.tokensSeen >= config.maxTokens()) return "maxTokens";
            if (config.maxSeconds() > 0 && seconds() >= config.maxSeconds()) return "maxSeconds";
            return null;
        }

        private double seconds() {
            return state.secondsBefore + (System.nanoTime() - startNanos) / 1e9;
        }

        /** Val bits per byte and train loss on the fixed subsets; returns the val loss. */
        private double evaluate() {
            long t0 = System.nanoTime();
            EvalResult val = evaluator.evaluate(model, valSubset, tokenByteLengths);
            EvalResult train = evaluator.evaluate(model, trainSubset, tokenByteLengths);
            state.lastValBpb = val.bpb();
            if (Double.isNaN(state.bestValBpb) || val.bpb() < state.bestValBpb) state.bestValBpb = val.bpb();
            LOG.info(String.format("eval step %d | train loss %.4f | val loss %.4f | val bpb %.4f | %.1f s", state.step,
                    train.meanLoss(), val.meanLoss(), val.bpb(), (System.nanoTime() - t0) / 1e9));
            return val.meanLoss();
        }

        /** Forward and backward in a per-step manager (closed so memory stays flat), clip, AdamW. */
        private double trainStep(double lr, long[] inputs, long[] targets) throws IOException {
            windows.fill(state.windowIndex, config.batchSize(), inputs, targets);
            float loss;
            try (NDManager step = model.newChildManager()) {
                NDArray x = step.create(inputs, new Shape(config.batchSize(), config.seqLen())); // (B, T)
                NDArray y = step.create(targets, new Shape(config.batchSize(), config.seqLen())); // (B, T)
                try (ThreadGradients collector = new ThreadGradients()) {
                    NDArray lossArray = Losses.meanLoss(model.logits(x), y);
                    collector.backward(lossArray);
                    loss = lossArray.getFloat();
                }
                // A non-finite loss or gradient never reaches the weights: the run stops before the update,
                // and its latest checkpoint is the last good state. A finite global norm means every
                // gradient is finite, so the per-parameter search only runs on the failing step.
                double norm = Gradients.clipGlobalNorm(model.parameters(), config.gradClip());
                if (!Float.isFinite(loss) || !Double.isFinite(norm)) {
                    throw new TrainingDivergedException(state.step, lr, loss, norm, Gradients.firstNonFinite(model.parameters()),
                            Checkpoints.latestStep(modelDir));
                }
                adamW.step(lr);
                Gradients.zero(model.parameters());
            }
            return loss;
        }

        /** Row of step {@code step} (0-based): its val before the update, its train loss, tokens seen after it. */
        private void logRow(long step, double trainLoss, double valLoss, double lr, double stepMs) throws IOException {
            memory.sample();
            double tokensPerSecond = Double.isNaN(stepMs) ? Double.NaN : config.tokensPerStep() / (stepMs / 1000);
            log.row(step, state.tokensSeen, trainLoss, valLoss, state.lastValBpb, lr, stepMs, tokensPerSecond,
                    memory.heapMb(), memory.rssMb());
        }

        /** {@code step 120/5000 | loss 3.4121 | val bpb 2.1000 | lr 6.0e-04 | 182 ms | 41.2k tok/s | eta 3m10s}. */
        private void progressLine(double lr, double stepMs) {
            double etaSeconds = (config.horizonSteps() - state.step) * meanStepMs / 1000;
            if (config.maxSeconds() > 0) etaSeconds = Math.min(etaSeconds, config.maxSeconds() - seconds());
            LOG.info(String.format("step %d/%d | loss %.4f | val bpb %s | lr %.1e | %.0f ms | %.1fk tok/s | eta %s",
                    state.step, config.horizonSteps(), state.lastTrainLoss, fmt(state.lastValBpb), lr, stepMs,
                    config.tokensPerStep() / stepMs, duration(etaSeconds)));
        }

        private static String fmt(double v) {
            return Double.isNaN(v) ? "-" : String.format("%.4f", v);
        }

        private static String duration(double seconds) {
            long s = Math.max(0, Math.round(seconds));
            return s >= 3600 ? String.format("%dh%02dm", s / 3600, s / 60 % 60) : String.format("%dm%02ds", s / 60, s % 60);
        }
    }
}
