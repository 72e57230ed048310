package headroom.scoring;

import headroom.model.CandidateNames;
import headroom.artifact.alloc.Allocation;
import headroom.artifact.alloc.Allocator;
import headroom.artifact.alloc.Frontier;
import headroom.artifact.alloc.OptionGrid;
import headroom.artifact.alloc.TensorOption;
import headroom.artifact.alloc.TensorOptions;
import headroom.artifact.WrittenArtifact;
import headroom.artifact.quant.PrecisionPlan;
import headroom.artifact.quant.QuantFormat;
import headroom.artifact.quant.TensorPrecision;
import headroom.tokenizer.BpeModel;
import headroom.model.ModelConfig;
import headroom.core.TensorClass;
import headroom.core.WeightTensor;
import headroom.model.train.FisherDiagonal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Per-tensor precision under a byte target (docs/ARTIFACT.md, "byte allocation"). Each 2-D weight
 * tensor outside norms/conditioning gets its (bytes, distortion) frontier over {@link OptionGrid#DEFAULT}:
 * bytes from {@code PayloadRate}, distortion the expected loss increase 1/2 sum F d^2 from the diagonal
 * Fisher on a train-split calibration sample (with {@code firstOrder}, plus the sample's gradient term
 * g.d: {@link TensorOptions}). {@link Allocator} spends the target minus the fixed parts (tokenizer, framing,
 * norms), the plan is written as an ordinary artifact, and its real size is checked: over the target,
 * the tensor budget shrinks by the overshoot and the allocation runs again, so the kept artifact is
 * always at or under the target.
 */
public final class ByteAllocation {

    private static final Logger LOG = LoggerFactory.getLogger(ByteAllocation.class);
    /** Writes per target at most: the estimate lands within 2% (PayloadRateTest), so one correction is the usual case. */
    private static final int MAX_ATTEMPTS = 5;
    /** Close enough to the target to stop refilling: 0.5% under it. */
    private static final double FILL_TOLERANCE = 0.005;
    /** Tensors the allocator does not choose for: the class plan's (int8 matrices, fp16 small tensors). */
    public static final PrecisionPlan BASE = PrecisionPlan.parse("emb=int8,attn=int8,mlp=int8,norm=fp16");

    /** One allocated artifact: its target, the plan, the file written and what the estimate said. */
    public record Allocated(AllocationTarget target, long targetBytes, PrecisionPlan plan, Path file, WrittenArtifact written,
                     double estimatedDistortion, int attempts) {
    }

    private final String candidate;
    private final ModelConfig config;
    private final List<WeightTensor> weights;
    private final BpeModel tokenizer;
    private final List<Frontier> frontiers = new ArrayList<>();
    private final long int8Bytes;
    private final double fixedBytes;

    /**
     * Prices every option of every allocated tensor and writes the all-int8 artifact once (to a temporary
     * file) for the fixed parts' size and the "NN%" targets.
     */
    public ByteAllocation(String candidate, ModelConfig config, List<WeightTensor> weights, FisherDiagonal.Sensitivity sensitivity, boolean firstOrder,
                   BpeModel tokenizer,
                   Path artifactsDir) throws IOException {
        this.candidate = candidate;
        this.config = config;
        this.weights = weights;
        this.tokenizer = tokenizer;
        long t0 = System.nanoTime();
        double int8Estimate = 0;
        TensorPrecision int8 = TensorPrecision.of(QuantFormat.INT8);
        for (WeightTensor w : weights) {
            if (!allocated(w)) continue;
            List<TensorOption> options = TensorOptions.measure(w, firstOrder ? sensitivity.gradient().get(w.name()) : null, sensitivity.fisher().get(w.name()),
                    OptionGrid.DEFAULT);
            frontiers.add(Frontier.of(w.name(), options));
            int8Estimate += options.stream().filter(o -> o.precision().equals(int8)).findFirst().orElseThrow().bytes();
        }
        Path probe = artifactsDir.resolve(CandidateNames.allocatedArtifact(candidate, "probe") + ".tmp");
        try {
            int8Bytes = ArtifactRoundTrip.write(probe, config, weights, BASE, tokenizer).bytes().total();
        } finally {
            Files.deleteIfExists(probe);
        }
        fixedBytes = int8Bytes - int8Estimate;
        LOG.info(String.format(Locale.ROOT, "allocate %s | %d tensors x %d options priced | all-int8 artifact %,d bytes, of which %,.0f fixed "
                        + "(tokenizer, framing, norms) | smallest reachable about %,.0f bytes | %.1f s", candidate, frontiers.size(),
                OptionGrid.DEFAULT.precisions().size(), int8Bytes, fixedBytes, smallestEstimate(), (System.nanoTime() - t0) / 1e9));
    }

    /** The matrices the allocator chooses for; norms and per-loop vectors stay fp16. */
    public static boolean allocated(WeightTensor w) {
        return w.shape().length == 2 && w.tensorClass() != TensorClass.NORM_CONDITIONING;
    }

    public double smallestEstimate() {
        return fixedBytes + frontiers.stream().mapToDouble(f -> f.cheapest().bytes()).sum();
    }

    /** Allocates for {@code target}, writes {@code artifactsDir/<candidate>__alloc-<label>.hra} at or under it. */
    public Allocated write(AllocationTarget target, long capBytes, Path artifactsDir) throws IOException {
        long targetBytes = target.bytes(capBytes, int8Bytes);
        Path file = artifactsDir.resolve(CandidateNames.allocatedArtifact(candidate, target.label()));
        Path attemptFile = artifactsDir.resolve(file.getFileName() + ".attempt");
        double budget = targetBytes - fixedBytes;
        Allocated kept = null;
        double previousEstimate = Double.NaN;
        try {
            for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
                Allocation allocation;
                try {
                    allocation = Allocator.allocate(frontiers, budget);
                } catch (Allocator.BudgetTooSmallException e) {
                    if (kept != null) break;
                    throw new IllegalArgumentException(String.format(Locale.ROOT, "allocation target %s for %s is %,d bytes, below the smallest "
                                    + "reachable artifact of about %,.0f bytes (every tensor at its cheapest option, %,.0f bytes of fixed parts); "
                                    + "raise headroom.score.allocate.targets", target.spec(), candidate, targetBytes, smallestEstimate(), fixedBytes), e);
                }
                if (allocation.bytes() == previousEstimate) break; // the budget moved but the allocation did not: every frontier is spent
                previousEstimate = allocation.bytes();
                PrecisionPlan plan = planOf(allocation);
                WrittenArtifact written = ArtifactRoundTrip.write(attemptFile, config, weights, plan, tokenizer);
                long real = written.bytes().total();
                LOG.info(String.format(Locale.ROOT, "allocate %s -> %s (%,d bytes) attempt %d | tensor budget %,.0f, estimated %,.0f | artifact %,d bytes (%+.2f%%)",
                        candidate, target.spec(), targetBytes, attempt, budget, allocation.bytes() + fixedBytes, real, 100.0 * (real - targetBytes) / targetBytes));
                if (real <= targetBytes && (kept == null || real > kept.written().bytes().total())) {
                    Files.move(attemptFile, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    kept = new Allocated(target, targetBytes, plan, file, withPath(written, file), allocation.distortion(), attempt);
                }
                if (kept != null && targetBytes - kept.written().bytes().total() <= FILL_TOLERANCE * targetBytes) break;
                budget += targetBytes - real - (real > targetBytes ? 0.001 * targetBytes : 0); // over: shrink past the overshoot; under: refill
            }
        } finally {
            Files.deleteIfExists(attemptFile);
        }
        if (kept == null) {
            throw new IllegalStateException("allocation for " + candidate + " could not get under its target of " + targetBytes + " bytes in "
                    + MAX_ATTEMPTS + " attempts: the rate estimate is off for this model (see the log above)");
        }
        return kept;
    }

    private static WrittenArtifact withPath(WrittenArtifact w, Path file) {
        return new WrittenArtifact(file, w.codec(), w.codecSizes(), w.bytes());
    }

    private static PrecisionPlan planOf(Allocation allocation) {
        PrecisionPlan plan = BASE;
        for (Map.Entry<String, TensorOption> e : allocation.chosen().entrySet()) plan = plan.withTensor(e.getKey(), e.getValue().precision());
        return plan;
    }
}
