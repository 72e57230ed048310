package headroom.pipelines.score;

import headroom.model.CandidateNames;
import headroom.scoring.AllocationTarget;
import headroom.scoring.ArtifactRoundTrip;
import headroom.scoring.ByteAllocation;
import headroom.scoring.EvalTexts;
import headroom.scoring.ScoreRows;
import ai.djl.Device;
import headroom.artifact.ArtifactBytes;
import headroom.artifact.WrittenArtifact;
import headroom.artifact.quant.PrecisionPlan;
import headroom.scoring.ScoreRows.LeaderboardRow;
import headroom.scoring.ScoreRows.RefinementRow;
import headroom.pipelines.train.TrainRun;
import headroom.tokenizer.BpeModel;
import headroom.core.TokenStream;
import headroom.model.ModelConfig;
import headroom.model.ParameterCount;
import headroom.core.TensorClass;
import headroom.core.WeightTensor;
import headroom.model.nn.LmModel;
import headroom.model.train.EvalResult;
import headroom.model.train.Evaluator;
import headroom.model.train.FisherDiagonal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Scores one trained model under every precision plan: the trained weights' bits per byte, then per
 * plan the artifact written, read back from disk, loaded into a fresh model and evaluated on the
 * whole val stream (the score), the out-of-domain stream and at each evaluation-time loop count L'.
 */
final class CandidateScorer {

    private static final Logger LOG = LoggerFactory.getLogger(CandidateScorer.class);

    /** The evaluated text of one vocabulary: val, the out-of-domain set (null when none) and each id's byte length. */
    record EvalSet(TokenStream val, TokenStream heldout, int[] tokenByteLengths) {
    }

    /** One artifact's leaderboard row, its refinement rows and its measured bytes per parameter by tensor class; a score task returns it. */
    record Scored(LeaderboardRow row, List<RefinementRow> refinements, Map<TensorClass, Double> bytesPerParameter) implements Serializable {
    }

    private final Device device;
    private final int batchSize;
    private final List<Integer> evalLoops;
    private final long capBytes;
    private final double fillBand;

    /** {@code fillBand}: an artifact of its sizing plan is in band when its file lands in [(1 - band) x cap, cap]. */
    CandidateScorer(Device device, int batchSize, List<Integer> evalLoops, long capBytes, double fillBand) {
        this.device = device;
        this.batchSize = batchSize;
        this.evalLoops = List.copyOf(evalLoops);
        this.capBytes = capBytes;
        this.fillBand = fillBand;
    }

    /**
     * The byte allocator's inputs: its targets, and the train-split calibration sample (never val) its
     * distortion is measured on, already encoded with the model's tokenizer.
     */
    record Allocate(List<AllocationTarget> targets, TokenStream calibration, int calibrationTokens, boolean firstOrder) {
        static final Allocate NONE = new Allocate(List.of(), null, 0, false);
    }

    /**
     * @param headBytesPerParameter the sweep's estimate for the embedding/head class, to set the measured head bytes against
     */
    List<Scored> score(TrainedModel model, BpeModel tokenizer, EvalSet texts, List<PrecisionPlan> plans, Path artifactsDir,
                       double headBytesPerParameter) throws IOException {
        return score(model, tokenizer, texts, plans, Allocate.NONE, artifactsDir, headBytesPerParameter);
    }

    /** The fixed plans, then one allocated plan per target of {@code allocate} (ByteAllocation), each scored the same way. */
    List<Scored> score(TrainedModel model, BpeModel tokenizer, EvalSet texts, List<PrecisionPlan> plans, Allocate allocate, Path artifactsDir,
                       double headBytesPerParameter) throws IOException {
        ModelConfig config = model.config();
        // the context T the model trained at: bytes-matched context holds for evaluation too
        Evaluator evaluator = new Evaluator(config.maxSeqLen(), batchSize);
        List<WeightTensor> weights;
        double pre;
        FisherDiagonal.Sensitivity sensitivity = null;
        long preStart = System.nanoTime();
        try (LmModel trained = LmModel.load(model.dir(), device)) {
            weights = trained.weights();
            pre = evaluator.evaluate(trained, texts.val(), texts.tokenByteLengths()).bpb();
            LOG.info(String.format(Locale.ROOT, "score %s | bpb pre %.4f (the trained weights on val) | %.1f s", model.name(), pre,
                    (System.nanoTime() - preStart) / 1e9));
            if (!allocate.targets().isEmpty()) {
                long t0 = System.nanoTime();
                int windows = Math.max(1, allocate.calibrationTokens() / evaluator.seqLen());
                sensitivity = FisherDiagonal.estimate(trained, allocate.calibration(), evaluator.seqLen(), windows);
                LOG.info(String.format(Locale.ROOT, "allocate %s | loss gradient and diagonal Fisher from %d train windows of %d tokens | %.1f s",
                        model.name(), windows, evaluator.seqLen(), (System.nanoTime() - t0) / 1e9));
            }
        }
        List<Scored> out = new ArrayList<>();
        for (PrecisionPlan plan : plans) {
            long t0 = System.nanoTime();
            Path file = artifactsDir.resolve(CandidateNames.artifact(model.name(), plan.name()));
            WrittenArtifact written = ArtifactRoundTrip.write(file, config, weights, plan, tokenizer);
            out.add(scoreArtifact(model, tokenizer, texts, evaluator, pre, headBytesPerParameter, plan, file, written, t0));
        }
        if (sensitivity != null) {
            ByteAllocation allocation = new ByteAllocation(model.name(), config, weights, sensitivity, allocate.firstOrder(), tokenizer, artifactsDir);
            for (AllocationTarget target : allocate.targets()) {
                long t0 = System.nanoTime();
                ByteAllocation.Allocated a = allocation.write(target, capBytes, artifactsDir);
                if (Files.size(a.file()) > a.targetBytes()) {
                    throw new IllegalStateException(a.file() + " has " + Files.size(a.file()) + " bytes, over its allocation target of " + a.targetBytes());
                }
                out.add(scoreArtifact(model, tokenizer, texts, evaluator, pre, headBytesPerParameter, a.plan(), a.file(), a.written(), t0));
            }
        }
        return out;
    }

    /** Reads the written artifact back from disk alone and scores it: val, out-of-domain, every L'; {@code t0} is when its writing began. */
    private Scored scoreArtifact(TrainedModel model, BpeModel tokenizer, EvalSet texts, Evaluator evaluator, double pre, double headBytesPerParameter,
                                 PrecisionPlan plan,
                                 Path file, WrittenArtifact written, long t0) throws IOException {
        ModelConfig config = model.config();
        ParameterCount parameters = ParameterCount.of(config);
        long writtenAt = System.nanoTime();
        ArtifactRoundTrip.ReadBack back = ArtifactRoundTrip.read(file);
        ArtifactBytes bytes = written.bytes();
        checkReadBack(file, back, tokenizer, config, bytes);
        EvalResult val;
        EvalResult heldout = null;
        long evaluated;
        List<RefinementRow> refinements = new ArrayList<>();
        try (LmModel restored = new LmModel(back.config(), device, 0)) {
            restored.loadWeights(back.weights());
            // the trained L and every L' from one pass per batch (LmModel.logitsAtLoops)
            TreeSet<Integer> loops = new TreeSet<>(evalLoops);
            loops.add(config.loops());
            Map<Integer, EvalResult> byLoops = evaluator.evaluateAtLoops(restored, texts.val(), texts.tokenByteLengths(),
                    loops.stream().mapToInt(Integer::intValue).toArray());
            val = byLoops.get(config.loops());
            evaluated = System.nanoTime();
            if (texts.heldout() != null) heldout = evaluator.evaluate(restored, texts.heldout(), texts.tokenByteLengths());
            for (Map.Entry<Integer, EvalResult> e : byLoops.entrySet()) {
                refinements.add(new RefinementRow(model.name(), model.candidate(), model.run().seed(), plan.name(), e.getKey(), e.getKey() == config.loops(),
                        e.getValue().bpb()));
            }
        }
        long end = System.nanoTime();
        TrainRun run = model.run();
        // in band: under the plan it was sized for, the file lands where the sweep's estimate did (B stays below by design)
        double fill = (double) bytes.total() / capBytes;
        boolean sizing = plan.name().equals(run.plan());
        boolean inBand = sizing && fill <= 1 && fill >= 1 - fillBand;
        LeaderboardRow row = new LeaderboardRow(model.name(), model.candidate(), run.seed(), plan.name(), file.getFileName().toString(),
                config.vocabSize(), config.headMode().label(), config.dModel(), config.uniqueBlocks(), config.loops(),
                config.mlpMult(), parameters.total(), bytes.embeddingHead(), bytes.trunk(), bytes.normsConditioning(), bytes.tokenizer(),
                bytes.overhead(), bytes.total(), !bytes.overCap(capBytes), fill, sizing, run.estimatedBytes(), inBand, run.fills(), pre, val.bpb(),
                val.bpb() - pre, heldout == null ? Double.NaN : heldout.bpb(), EvalTexts.tokensPerByte(texts.val()),
                texts.heldout() == null ? Double.NaN : EvalTexts.tokensPerByte(texts.heldout()), parameters.embeddingHead() * headBytesPerParameter,
                run.protocol(), run.context(), config.maxSeqLen(), run.contextBytes(), run.bytesSeen(), written.codec().name().toLowerCase(Locale.ROOT),
                model.trainSeconds(), model.device(), Double.NaN, Double.NaN, model.tailMoveBpb(), model.stillLearning(), model.lr());
        if (sizing && run.fills() && !inBand) {
            LOG.warn(String.format(Locale.ROOT, "score %s | %s | the artifact fills %.1f%% of the cap, outside the %.0f%% band the sweep "
                    + "sized it for (estimated %,d, measured %,d bytes): recalibrate with headroom.sweep.budget.measured-bytes-per-param",
                    model.name(), plan.name(), 100 * fill, 100 * fillBand, run.estimatedBytes(), bytes.total()));
        }
        LOG.info(String.format(Locale.ROOT, "score %s | %s | %,d bytes (%s)%s | emb/head %,d trunk %,d norms %,d tokenizer %,d overhead %,d"
                        + " | bpb pre %.4f post %.4f gap %+.4f%s | %.1f s: write %.1f, read back and val %.1f, held-out %.1f",
                model.name(), file.getFileName(), bytes.total(), row.codec(), row.valid() ? "" : " OVER CAP " + capBytes,
                bytes.embeddingHead(), bytes.trunk(), bytes.normsConditioning(), bytes.tokenizer(), bytes.overhead(), pre, val.bpb(),
                val.bpb() - pre, heldout == null ? "" : String.format(Locale.ROOT, " | held-out %.4f", heldout.bpb()),
                (end - t0) / 1e9, (writtenAt - t0) / 1e9, (evaluated - writtenAt) / 1e9, (end - evaluated) / 1e9));
        return new Scored(row, refinements, bytes.bytesPerParameter());
    }

    /** The artifact must be self-contained and its byte count must be the file's: anything else is a bug, not a warning. */
    private static void checkReadBack(Path file, ArtifactRoundTrip.ReadBack back, BpeModel tokenizer, ModelConfig config, ArtifactBytes bytes)
            throws IOException {
        if (!back.config().equals(config)) throw new IllegalStateException(file + " holds model config " + back.config() + ", written " + config);
        if (!back.tokenizer().sameMerges(tokenizer)) throw new IllegalStateException(file + " holds a different tokenizer than the one written");
        long size = Files.size(file);
        if (back.fileBytes() != size || bytes.total() != size) {
            throw new IllegalStateException(file + ": the byte breakdown totals " + bytes.total() + " bytes but the file has " + size);
        }
    }
}
