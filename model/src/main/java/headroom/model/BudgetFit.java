package headroom.model;

import headroom.core.TensorClass;
import headroom.model.ModelConfig.Activation;
import headroom.model.ModelConfig.Conditioning;
import headroom.model.ModelConfig.HeadMode;

import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Sizes a model from the byte cap (DESIGN.md, "the budget model"): for a vocabulary, a head mode and
 * the bytes per parameter of one precision plan, the trunk shape whose estimated artifact fills the cap.
 * <p>{@link #fill} searches the width d (in steps of headSize x queriesPerKvHead), the unique blocks U
 * and the MLP multiple (loops L stay the recipe's) for an estimate in [(1 - band) x cap, cap]. Among the
 * shapes in that band it takes, in this order: the fewest unique blocks away from the preferred U, then
 * the fewest MLP multiples away from the preferred multiple, then the fullest, then the narrower.
 * Keeping the preferred U and multiple first means a trunk grows in width before it changes shape.
 */
public record BudgetFit(
        long capBytes,                               // 16_000_000: the artifact cap
        int vocabSize,                               // 1024
        HeadMode headMode,                           // TIED
        int headRank,                                // 0 unless FACTORIZED
        Map<TensorClass, Double> bytesPerParameter,  // one precision plan's: 0.95 each for int8 per-row + brotli
        long tokenizerBytes,                         // compressed tokenizer asset
        long overheadBytes,                          // container header, config, code
        int seqLen,                                  // 460: context T of this vocabulary (its tokens per byte x context bytes)
        Recipe recipe) {

    /** Everything of a model but its width, unique blocks and MLP multiple, which the fill searches from the recipe's. */
    public record Recipe(int uniqueBlocks, int loops, int headSize, int mlpMult, int queriesPerKvHead,
                         Activation activation, Conditioning conditioning, boolean extraNorm,
                         double ropeTheta, double softCap) {
        public Recipe {
            if (headSize < 2 || headSize % 2 != 0) throw new IllegalArgumentException("headSize must be even and >= 2, got " + headSize);
            if (queriesPerKvHead < 1) throw new IllegalArgumentException("queriesPerKvHead must be >= 1, got " + queriesPerKvHead);
        }

        public int widthStep() {
            return headSize * queriesPerKvHead;
        }

        /** The model of this recipe at one shape; {@code seqLen} is the context T it is trained and evaluated at. */
        public ModelConfig config(int vocabSize, HeadMode headMode, int headRank, Shape shape, int seqLen) {
            int heads = shape.dModel() / headSize;
            return new ModelConfig(vocabSize, shape.dModel(), heads, heads / queriesPerKvHead, shape.uniqueBlocks(), loops, shape.mlpMult(),
                    activation, headMode, headRank, conditioning, extraNorm, ropeTheta, softCap, seqLen);
        }

        public Shape shape(int dModel) {
            return new Shape(dModel, uniqueBlocks, mlpMult);
        }
    }

    /** What the fill varies: width, unique blocks, MLP multiple. */
    public record Shape(int dModel, int uniqueBlocks, int mlpMult) {
    }

    /** The search's limits: the band below the cap that counts as full, and the largest U and MLP multiple tried. */
    public record Search(double band, int maxUniqueBlocks, int maxMlpMult) {
        public Search {
            if (!(band > 0 && band < 1)) throw new IllegalArgumentException("band must be in (0, 1), got " + band);
            if (maxUniqueBlocks < 1) throw new IllegalArgumentException("maxUniqueBlocks must be >= 1, got " + maxUniqueBlocks);
            if (maxMlpMult < 1) throw new IllegalArgumentException("maxMlpMult must be >= 1, got " + maxMlpMult);
        }
    }

    /** A model, its parameters, its estimated bytes and what is left under the cap. */
    public record Result(ModelConfig config, ParameterCount parameters, ArtifactEstimate bytes, long capBytes) {
        public long headroomBytes() {
            return capBytes - bytes.total();
        }

        /** Estimated artifact bytes over the cap: 0.98 means 2% below it. */
        public double fill() {
            return (double) bytes.total() / capBytes;
        }

        public Shape shape() {
            return new Shape(config.dModel(), config.uniqueBlocks(), config.mlpMult());
        }
    }

    /**
     * The fill's answer. {@code filled}: the estimate lands in the band. Otherwise {@code result} is the
     * fullest shape under the cap (empty when nothing fits) and {@code reason} says why the cap is not filled.
     */
    public record Fill(Optional<Result> result, boolean filled, String reason) {
    }

    public BudgetFit {
        if (capBytes <= 0) throw new IllegalArgumentException("capBytes must be > 0, got " + capBytes);
        if (seqLen < 1) throw new IllegalArgumentException("seqLen must be >= 1, got " + seqLen);
        Objects.requireNonNull(headMode, "headMode");
        Objects.requireNonNull(bytesPerParameter, "bytesPerParameter");
        Objects.requireNonNull(recipe, "recipe");
        bytesPerParameter = Map.copyOf(bytesPerParameter);
    }

    /** Fills the cap, preferring the recipe's U and MLP multiple. */
    public Fill fill(Search search) {
        return fill(search, recipe.uniqueBlocks(), recipe.mlpMult());
    }

    /** Fills the cap, preferring {@code preferredBlocks} unique blocks and MLP multiple {@code preferredMult} (see the class doc). */
    public Fill fill(Search search, int preferredBlocks, int preferredMult) {
        long floor = (long) Math.ceil((1 - search.band()) * capBytes);
        Comparator<Result> preference = Comparator
                .comparingInt((Result r) -> Math.abs(r.config().uniqueBlocks() - preferredBlocks))
                .thenComparingInt(r -> Math.abs(r.config().mlpMult() - preferredMult))
                .thenComparingLong(Result::headroomBytes)
                .thenComparingInt(r -> r.config().dModel());
        Comparator<Result> fullest = Comparator.comparingLong(Result::headroomBytes).thenComparing(preference);
        int step = recipe.widthStep();
        int narrowest = narrowestWidth();
        Result best = null;
        Result fullestUnder = null;
        // Bytes grow with d, U and the multiple: stop each walk at the first shape over the cap.
        for (int d = narrowest; estimate(new Shape(d, 1, 1)).bytes().total() <= capBytes; d += step) {
            for (int u = 1; u <= search.maxUniqueBlocks(); u++) {
                for (int m = 1; m <= search.maxMlpMult(); m++) {
                    Result r = estimate(new Shape(d, u, m));
                    if (r.bytes().total() > capBytes) break;
                    if (fullestUnder == null || fullest.compare(r, fullestUnder) < 0) fullestUnder = r;
                    if (r.bytes().total() >= floor && (best == null || preference.compare(r, best) < 0)) best = r;
                }
            }
        }
        if (best != null) return new Fill(Optional.of(best), true, "");
        Result smallest = estimate(new Shape(narrowest, 1, 1));
        if (fullestUnder == null) {
            String why = smallest.bytes().head() + smallest.bytes().tokenizer() + smallest.bytes().overhead() > capBytes
                    ? String.format(Locale.ROOT, "the head alone is over the cap: %,d head bytes (V=%d x d=%d) + %,d tokenizer + %,d overhead > %,d",
                    smallest.bytes().head(), vocabSize, narrowest, smallest.bytes().tokenizer(), smallest.bytes().overhead(), capBytes)
                    : String.format(Locale.ROOT, "nothing fits: the smallest model (d=%d, 1 block, MLP x1) is estimated at %,d bytes > %,d",
                    narrowest, smallest.bytes().total(), capBytes);
            return new Fill(Optional.empty(), false, why);
        }
        return new Fill(Optional.of(fullestUnder), false, String.format(Locale.ROOT,
                "no shape (d step %d, U <= %d, MLP x <= %d) lands within %.0f%% below the cap; the fullest is %,d bytes (%.1f%%)",
                step, search.maxUniqueBlocks(), search.maxMlpMult(), 100 * search.band(), fullestUnder.bytes().total(),
                100 * fullestUnder.fill()));
    }

    /** The estimate at one width with the recipe's U and multiple, fitting or not. */
    public Result estimate(int dModel) {
        return estimate(recipe.shape(dModel));
    }

    /** The estimate at one shape, fitting or not. */
    public Result estimate(Shape shape) {
        ModelConfig c = recipe.config(vocabSize, headMode, headRank, shape, seqLen);
        ParameterCount p = ParameterCount.of(c);
        return new Result(c, p, ArtifactEstimate.of(p, bytesPerParameter, tokenizerBytes, overheadBytes), capBytes);
    }

    private int narrowestWidth() {
        int step = recipe.widthStep();
        int n = headMode == HeadMode.FACTORIZED ? headRank + 1 : 1;
        return (n + step - 1) / step * step;
    }
}
