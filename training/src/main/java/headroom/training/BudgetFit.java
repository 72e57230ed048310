package headroom.training;

import headroom.training.ModelConfig.Activation;
import headroom.training.ModelConfig.Conditioning;
import headroom.training.ModelConfig.HeadMode;

import java.util.Map;
import java.util.Objects;

/**
 * Sizes a model from the byte cap (DESIGN.md, "the budget model"): for a vocabulary, a head mode
 * and a recipe, the widest trunk whose estimated artifact still fits.
 */
public record BudgetFit(
        long capBytes,                               // 16_000_000: the artifact cap
        int vocabSize,                               // 1024
        HeadMode headMode,                           // TIED
        int headRank,                                // 0 unless FACTORIZED
        Map<TensorClass, Double> bytesPerParameter,  // 0.93 each for int8 per-row + zlib
        long tokenizerBytes,                         // compressed tokenizer asset
        long overheadBytes,                          // container header, config, code
        Recipe recipe) {

    /** Everything of a model but its width. Width grows in steps of headSize * queriesPerKvHead. */
    public record Recipe(int uniqueBlocks, int loops, int headSize, int mlpMult, int queriesPerKvHead,
                         Activation activation, Conditioning conditioning, boolean extraNorm,
                         double ropeTheta, double softCap, int maxSeqLen) {
        public Recipe {
            if (headSize < 2 || headSize % 2 != 0) throw new IllegalArgumentException("headSize must be even and >= 2, got " + headSize);
            if (queriesPerKvHead < 1) throw new IllegalArgumentException("queriesPerKvHead must be >= 1, got " + queriesPerKvHead);
        }

        int widthStep() {
            return headSize * queriesPerKvHead;
        }

        ModelConfig withWidth(int vocabSize, HeadMode headMode, int headRank, int dModel) {
            int heads = dModel / headSize;
            return new ModelConfig(vocabSize, dModel, heads, heads / queriesPerKvHead, uniqueBlocks, loops, mlpMult,
                    activation, headMode, headRank, conditioning, extraNorm, ropeTheta, softCap, maxSeqLen);
        }
    }

    /** The chosen model, its parameters, its estimated bytes and what is left under the cap. */
    public record Result(ModelConfig config, ParameterCount parameters, ArtifactEstimate bytes, long capBytes) {
        public long headroomBytes() {
            return capBytes - bytes.total();
        }
    }

    public BudgetFit {
        if (capBytes <= 0) throw new IllegalArgumentException("capBytes must be > 0, got " + capBytes);
        Objects.requireNonNull(headMode, "headMode");
        Objects.requireNonNull(bytesPerParameter, "bytesPerParameter");
        Objects.requireNonNull(recipe, "recipe");
        bytesPerParameter = Map.copyOf(bytesPerParameter);
    }

    /** The largest width (a multiple of the recipe's step) whose estimate fits the cap. */
    public Result fit() {
        int step = recipe.widthStep();
        int narrowest = roundUp(headMode == HeadMode.FACTORIZED ? headRank + 1 : 1, step);
        Result best = null;
        // Bytes grow with width, so walk up until the first width that no longer fits.
        for (int d = narrowest; ; d += step) {
            Result r = estimate(d);
            if (r.bytes().total() > capBytes) break;
            best = r;
        }
        if (best == null) {
            throw new IllegalArgumentException("no width fits capBytes=" + capBytes + ": the narrowest model (dModel="
                    + narrowest + ") is estimated at " + estimate(narrowest).bytes().total() + " bytes");
        }
        return best;
    }

    /** The estimate at one width, fitting or not. */
    public Result estimate(int dModel) {
        ModelConfig c = recipe.withWidth(vocabSize, headMode, headRank, dModel);
        ParameterCount p = ParameterCount.of(c);
        return new Result(c, p, ArtifactEstimate.of(p, bytesPerParameter, tokenizerBytes, overheadBytes), capBytes);
    }

    private static int roundUp(int n, int step) {
        return (n + step - 1) / step * step;
    }
}
