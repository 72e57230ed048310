package headroom.model;

import java.util.Locale;
import java.util.Map;

/**
 * The shape of one recurrent shared-depth language model (DESIGN.md, "the model family"):
 * U unique blocks applied L times, a tied / untied / factorized head, per-loop conditioning.
 */
public record ModelConfig(
        int vocabSize,        // 1024: token ids 0..vocabSize-1, BOS included
        int dModel,           // 512: residual width, a multiple of numHeads
        int numHeads,         // 8: query heads
        int numKvHeads,       // 4: key/value heads shared by numHeads/numKvHeads query heads each
        int uniqueBlocks,     // 3: blocks with their own weights (U)
        int loops,            // 3: times the U blocks are applied (L); virtual depth U*L
        int mlpMult,          // 2: MLP hidden width = mlpMult * dModel
        Activation activation,   // RELU2: relu(x)^2, or GELU
        HeadMode headMode,       // TIED: output head shares the embedding
        int headRank,         // 0 unless FACTORIZED: embedding (V, r) times a projection (d, r)
        Conditioning conditioning, // LOOP_GAIN: what each loop gets of its own
        boolean extraNorm,    // true: RMSNorm on the inputs of the attention and MLP output projections
        double ropeTheta,     // 10000: RoPE base
        double softCap,       // 30: logits = softCap * tanh(logits / softCap); 0 = off
        int maxSeqLen) {      // 1024: longest context the RoPE tables cover

    public enum Activation { RELU2, GELU }

    public enum HeadMode {
        TIED, UNTIED, FACTORIZED;

        /** {@code tied}, {@code untied} or {@code factorized}: the mode as confs, tables and names spell it. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The mode a {@link #label()} spells, in any case. */
        public static HeadMode ofLabel(String label) {
            return valueOf(label.trim().toUpperCase(Locale.ROOT));
        }
    }

    public enum Conditioning {
        NONE, LOOP_GAIN, LOOP_VECTOR, BOTH;

        public boolean loopGains() {
            return this == LOOP_GAIN || this == BOTH;
        }

        public boolean loopVectors() {
            return this == LOOP_VECTOR || this == BOTH;
        }
    }

    public ModelConfig {
        ConfigMap.require(vocabSize >= 2 && vocabSize <= 65_536, "vocabSize", vocabSize, "must be in [2, 65536] (ids are uint16)");
        ConfigMap.require(numHeads >= 1, "numHeads", numHeads, "must be >= 1");
        ConfigMap.require(dModel >= 1 && dModel % numHeads == 0, "dModel", dModel, "must be a positive multiple of numHeads=" + numHeads);
        ConfigMap.require(numKvHeads >= 1 && numHeads % numKvHeads == 0, "numKvHeads", numKvHeads, "must divide numHeads=" + numHeads);
        ConfigMap.require(uniqueBlocks >= 1, "uniqueBlocks", uniqueBlocks, "must be >= 1");
        ConfigMap.require(loops >= 1, "loops", loops, "must be >= 1");
        ConfigMap.require(mlpMult >= 1, "mlpMult", mlpMult, "must be >= 1");
        ConfigMap.require(activation != null, "activation", activation, "must be RELU2 or GELU");
        ConfigMap.require(headMode != null, "headMode", headMode, "must be TIED, UNTIED or FACTORIZED");
        ConfigMap.require(conditioning != null, "conditioning", conditioning, "must be NONE, LOOP_GAIN, LOOP_VECTOR or BOTH");
        if (headMode == HeadMode.FACTORIZED) {
            ConfigMap.require(headRank >= 1 && headRank < dModel, "headRank", headRank, "must be in [1, dModel=" + dModel + ") when headMode is FACTORIZED");
        } else {
            ConfigMap.require(headRank == 0, "headRank", headRank, "must be 0 unless headMode is FACTORIZED (headMode is " + headMode + ")");
        }
        ConfigMap.require((dModel / numHeads) % 2 == 0, "dModel", dModel, "must give an even head size for RoPE (head size " + dModel / numHeads + ")");
        ConfigMap.require(ropeTheta > 0, "ropeTheta", ropeTheta, "must be > 0");
        ConfigMap.require(softCap >= 0, "softCap", softCap, "must be >= 0 (0 = off)");
        ConfigMap.require(maxSeqLen >= 1, "maxSeqLen", maxSeqLen, "must be >= 1");
    }

    public int headSize() {
        return dModel / numHeads;
    }

    public int virtualDepth() {
        return uniqueBlocks * loops;
    }

    public int mlpHidden() {
        return mlpMult * dModel;
    }

    /** The same weights run with a different number of loops (evaluation-time L' > L). */
    public ModelConfig withLoops(int newLoops) {
        return new ModelConfig(vocabSize, dModel, numHeads, numKvHeads, uniqueBlocks, newLoops, mlpMult, activation,
                headMode, headRank, conditioning, extraNorm, ropeTheta, softCap, maxSeqLen);
    }

    /** The config as an ordered map (checkpoints, artifact headers, result.json); {@link #fromMap} reads it back. */
    public Map<String, Object> toMap() {
        return ConfigMap.of(this);
    }

    /** Inverse of {@link #toMap()}; every field must be present and no other key. */
    public static ModelConfig fromMap(Map<String, ?> m) {
        ConfigMap c = new ConfigMap("model config", m, ModelConfig.class);
        return new ModelConfig(c.integer("vocabSize"), c.integer("dModel"), c.integer("numHeads"), c.integer("numKvHeads"),
                c.integer("uniqueBlocks"), c.integer("loops"), c.integer("mlpMult"),
                c.enumValue("activation", Activation.class), c.enumValue("headMode", HeadMode.class), c.integer("headRank"),
                c.enumValue("conditioning", Conditioning.class), c.bool("extraNorm"), c.number("ropeTheta"),
                c.number("softCap"), c.integer("maxSeqLen"));
    }
}
