package headroom.model.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.SparseFormat;
import headroom.model.ModelConfig;
import headroom.model.ParameterCount;
import headroom.core.TensorClass;
import headroom.core.WeightTensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A recurrent shared-depth language model (DESIGN.md, "the model family"): embedding, U unique
 * blocks applied L times with per-loop conditioning, final RMSNorm, head, optional soft-cap.
 * Parameters are plain NDArrays with gradients, owned by the model's manager.
 */
public final class LmModel implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LmModel.class);
    private static final double EMBEDDING_STD = 0.02;

    private final ModelConfig config;
    private final NDManager manager;
    private final Parameter tokEmb;      // (V, C), or (V, r) when factorized
    private final Parameter embProj;     // (C, r), only when factorized: embedding = tokEmb . embProj^T
    private final Parameter lmHead;      // (V, C), only when untied
    private final Parameter loopVectors; // (L, C), only with per-loop vectors
    private final List<Block> blocks;
    private final Parameter finalNorm;   // (C)
    private final Rope rope;
    private final List<Parameter> parameters;
    private final Map<String, Parameter> byName = new LinkedHashMap<>();

    /** Builds the model on {@code device} with weights drawn from {@code seed}. */
    public LmModel(ModelConfig config, Device device, long seed) {
        this.config = config;
        this.manager = NDManager.newBaseManager(device);
        ParameterFactory f = new ParameterFactory(manager, seed);
        int d = config.dModel();
        int v = config.vocabSize();
        boolean factorized = config.headMode() == ModelConfig.HeadMode.FACTORIZED;
        tokEmb = f.normal("tok_emb", TensorClass.EMBEDDING_HEAD, v, factorized ? config.headRank() : d, EMBEDDING_STD);
        embProj = factorized ? f.normal("emb_proj", TensorClass.EMBEDDING_HEAD, d, config.headRank(), 1.0 / Math.sqrt(config.headRank())) : null;
        loopVectors = config.conditioning().loopVectors() ? f.zeros("loop_vectors", config.loops(), d) : null;
        blocks = new ArrayList<>();
        for (int i = 0; i < config.uniqueBlocks(); i++) blocks.add(new Block(config, i, f));
        finalNorm = f.gain("final_norm", d);
        lmHead = config.headMode() == ModelConfig.HeadMode.UNTIED ? f.normal("lm_head", TensorClass.EMBEDDING_HEAD, v, d, EMBEDDING_STD) : null;
        rope = new Rope(manager, config.headSize(), config.maxSeqLen(), config.ropeTheta());
        parameters = f.created();
        for (Parameter p : parameters) byName.put(p.name(), p);
        checkCount();
        LOG.info("model d={} heads={}/{} blocks={}x{} loops (depth {}) head={} | {} | device {}", d, config.numHeads(),
                config.numKvHeads(), config.uniqueBlocks(), config.loops(), config.virtualDepth(), config.headMode(),
                ParameterCount.of(config).describe(), device);
    }

    /** A model from {@code modelDir/model.json} and {@code modelDir/weights.bin} (see {@link ModelFiles}). */
    public static LmModel load(Path modelDir, Device device) throws IOException {
        ModelConfig config = ModelFiles.readConfig(modelDir);
        LmModel model = new LmModel(config, device, 0); // every initial value is overwritten below
        try {
            model.loadWeights(ModelFiles.readWeights(modelDir));
            return model;
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    private void checkCount() {
        Map<TensorClass, Long> counted = new LinkedHashMap<>();
        for (Parameter p : parameters) counted.merge(p.tensorClass(), p.size(), Long::sum);
        ParameterCount expected = ParameterCount.of(config);
        for (TensorClass t : TensorClass.values()) {
            if (counted.getOrDefault(t, 0L) != expected.of(t)) {
                throw new IllegalStateException("model has " + counted.getOrDefault(t, 0L) + " " + t
                        + " parameters but ParameterCount says " + expected.of(t));
            }
        }
    }

    public ModelConfig config() {
        return config;
    }

    public List<Parameter> parameters() {
        return parameters;
    }

    public Device device() {
        return manager.getDevice();
    }

    /** A child manager on the model's device: one per training step (closed after it), or for optimizer state. */
    public NDManager newChildManager() {
        return manager.newSubManager();
    }

    /** tokens (B, T) int64 -> logits (B, T, V), with the trained number of loops. */
    public NDArray logits(NDArray tokens) {
        return logits(tokens, config.loops());
    }

    /**
     * tokens (B, T) int64 -> logits (B, T, V), running the shared blocks {@code loops} times.
     * Loops past the trained count reuse the last loop's gains and vector (evaluation-time L' > L).
     * The result belongs to the manager of {@code tokens}; every intermediate is closed here.
     */
    public NDArray logits(NDArray tokens, int loops) {
        return logitsAtLoops(tokens, new int[] {loops}).get(0);
    }

    /**
     * tokens (B, T) int64 -> logits (B, T, V) after each of {@code loopCounts} (ascending, distinct),
     * from one pass: the residual stream after l loops is the same whether or not more loops follow,
     * so the logits at each count are exactly those of {@link #logits(NDArray, int)} at that count, for
     * the price of the deepest pass plus one head per count (evaluation-time refinement L' > L).
     */
    public List<NDArray> logitsAtLoops(NDArray tokens, int[] loopCounts) {
        for (int i = 0; i < loopCounts.length; i++) {
            if (loopCounts[i] < 1 || (i > 0 && loopCounts[i] <= loopCounts[i - 1])) {
                throw new IllegalArgumentException("loop counts must be ascending, distinct and >= 1, got " + Arrays.toString(loopCounts));
            }
        }
        if (loopCounts.length == 0) throw new IllegalArgumentException("at least one loop count is needed");
        List<NDArray> out = new ArrayList<>(loopCounts.length);
        try (NDScope scope = new NDScope()) {
            NDArray x = embed(tokens);                                              // (B, T, C)
            NDArray mask = Ops.causalMask(x, (int) tokens.getShape().get(1));       // (T, T)
            for (int loop = 0; out.size() < loopCounts.length; loop++) {
                int phase = Math.min(loop, config.loops() - 1);
                if (loopVectors != null) x = x.add(loopVectors.array().get(phase)); // (B, T, C)
                for (Block block : blocks) x = block.forward(x, phase, mask, rope); // (B, T, C)
                if (loop + 1 != loopCounts[out.size()]) continue;
                NDArray logits = head(Ops.rmsNorm(x, finalNorm.array()));          // (B, T, V), / softCap if on
                if (config.softCap() > 0) logits = Ops.softCap(logits, (float) config.softCap());
                NDScope.unregister(logits);
                out.add(logits);
            }
            return out;
        }
    }

    private NDArray embed(NDArray tokens) {
        NDArray e = tokens.getNDArrayInternal().embedding(tokens, tokEmb.array(), SparseFormat.DENSE).singletonOrThrow(); // (B, T, C or r)
        return embProj == null ? e : Ops.linear(e, embProj.array()); // (B, T, C)
    }

    /**
     * The head's logits, already divided by the soft-cap when there is one: the division goes to the (V, C)
     * matrix, not to the (B, T, V) logits, which saves a pass over them forward and another backward.
     */
    private NDArray head(NDArray x) {
        NDArray out = config.headMode() == ModelConfig.HeadMode.UNTIED ? lmHead.array() : tokEmb.array(); // (V, C or r)
        if (config.softCap() > 0) out = out.div(Ops.constant(out, (float) config.softCap()));
        return switch (config.headMode()) {
            case TIED, UNTIED -> Ops.linear(x, out);                          // (B, T, V)
            case FACTORIZED -> Ops.linear(x.matMul(embProj.array()), out);    // (B, T, r) -> (B, T, V)
        };
    }

    /** Every parameter as plain floats, in creation order, with stable names. */
    public List<WeightTensor> weights() {
        List<WeightTensor> out = new ArrayList<>(parameters.size());
        for (Parameter p : parameters) out.add(Weights.toWeightTensor(p));
        return out;
    }

    /** Overwrites every parameter; names, classes and shapes must match exactly, none missing. */
    public void loadWeights(List<WeightTensor> weights) {
        Weights.load(byName, weights);
    }

    @Override
    public void close() {
        manager.close();
    }
}
