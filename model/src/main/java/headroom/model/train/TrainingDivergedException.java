package headroom.model.train;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A training run whose loss or gradient went NaN or infinite. Nothing of the bad step reached the
 * weights: the update is refused, and the latest checkpoint on disk is the last good state.
 */
public final class TrainingDivergedException extends RuntimeException {

    private final long step;
    private final double learningRate;
    private final double loss;
    private final double gradientNorm;
    private final String parameter;
    private final Long lastGoodCheckpointStep;

    TrainingDivergedException(long step, double learningRate, double loss, double gradientNorm, Optional<String> parameter,
                              OptionalLong lastGoodCheckpointStep) {
        super(message(step, learningRate, loss, gradientNorm, parameter, lastGoodCheckpointStep));
        this.gradientNorm = gradientNorm;
        this.step = step;
        this.learningRate = learningRate;
        this.loss = loss;
        this.parameter = parameter.orElse(null);
        this.lastGoodCheckpointStep = lastGoodCheckpointStep.isPresent() ? lastGoodCheckpointStep.getAsLong() : null;
    }

    private static String message(long step, double lr, double loss, double norm, Optional<String> parameter, OptionalLong checkpoint) {
        return String.format(Locale.ROOT, "training diverged at step %d (learning rate %.3e): loss %s, gradient norm %s, %s; %s",
                step, lr, loss, norm,
                parameter.map(p -> "first non-finite gradient in parameter " + p).orElse("every gradient finite (the norm overflowed)"),
                checkpoint.isPresent() ? "the last good checkpoint is step " + checkpoint.getAsLong() : "no checkpoint was written before it");
    }

    /** The optimizer step (0-based) whose loss or gradient was not finite. */
    public long step() {
        return step;
    }

    public double learningRate() {
        return learningRate;
    }

    /** The step's training loss, possibly finite when only a gradient went non-finite. */
    public double loss() {
        return loss;
    }

    /** The first parameter, in model order, whose gradient holds a NaN or an infinity. */
    /** The global L2 norm of the step's gradients before clipping. */
    public double gradientNorm() {
        return gradientNorm;
    }

    public Optional<String> parameter() {
        return Optional.ofNullable(parameter);
    }

    public OptionalLong lastGoodCheckpointStep() {
        return lastGoodCheckpointStep == null ? OptionalLong.empty() : OptionalLong.of(lastGoodCheckpointStep);
    }
}
