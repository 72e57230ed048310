package headroom.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import headroom.model.nn.Parameter;

import java.util.List;
import java.util.Optional;

/** Global-norm clipping and zeroing of the gradients PyTorch accumulates on the parameters. */
final class Gradients {

    private Gradients() {
    }

    /**
     * Scales all gradients so their global L2 norm is at most {@code maxNorm} (0 = off); returns the norm before.
     * <p>The sum of squares is taken here in float64, in parameter and element order, not by torch: torch
     * reduces a large tensor to one number in per-thread chunks, so its sum (and after a clip, every weight)
     * changed with the number of torch threads (issue 25); one copy of the gradients costs less than the
     * 3 ops per parameter it replaces.
     */
    static double clipGlobalNorm(List<Parameter> parameters, double maxNorm) {
        double sumSquares = 0;
        try (NDScope scope = new NDScope()) {
            for (Parameter p : parameters) {
                for (float g : p.array().getGradient().toFloatArray()) sumSquares += (double) g * g;
            }
        }
        double norm = Math.sqrt(sumSquares);
        if (maxNorm > 0 && norm > maxNorm) {
            float scale = (float) (maxNorm / (norm + 1e-6));
            try (NDScope scope = new NDScope()) {
                for (Parameter p : parameters) p.array().getGradient().muli(scale);
            }
        }
        return norm;
    }

    /** The first parameter, in model order, whose gradient holds a NaN or an infinity. */
    static Optional<String> firstNonFinite(List<Parameter> parameters) {
        try (NDScope scope = new NDScope()) {
            for (Parameter p : parameters) {
                NDArray g = p.array().getGradient();
                if (!g.isInfinite().logicalOr(g.isNaN()).any().getBoolean()) continue;
                return Optional.of(p.name());
            }
            return Optional.empty();
        }
    }

    /** DJL's PyTorch collector does not zero gradients (they accumulate), so each step does. */
    static void zero(List<Parameter> parameters) {
        try (NDScope scope = new NDScope()) {
            for (Parameter p : parameters) {
                NDArray g = p.array().getGradient();
                g.subi(g);
            }
        }
    }
}
