package headroom.model;

import headroom.model.ModelConfig.Activation;
import headroom.model.ModelConfig.Conditioning;
import headroom.model.ModelConfig.HeadMode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ParameterCountTest {

    /** Parameter Golf's baseline: 9 blocks, d=512, 8/4 heads, MLP 2x, tied, V=1024 (no skip weights or q-gains). */
    @Test
    void parameterGolfBaseline() {
        ModelConfig c = new ModelConfig(1024, 512, 8, 4, 9, 1, 2, Activation.RELU2, HeadMode.TIED, 0, Conditioning.NONE,
                false, 10000, 0, 1024);
        ParameterCount p = ParameterCount.of(c);
        assertEquals(1024 * 512, p.embeddingHead());
        assertEquals(9L * (512 * 512 + 256 * 512 + 256 * 512 + 512 * 512), p.attention()); // 7,077,888
        assertEquals(9L * 2 * 1024 * 512, p.mlp());                                        // 9,437,184
        assertEquals(9L * 2 * 512 + 512, p.normConditioning());                             // 9,728
        assertEquals(17_049_088L, p.total());
    }

    @Test
    void smallModelByHand() {
        // V=300, d=32, kv width 16, hidden 64, U=2, L=3, per-loop gains and vectors, extra norms
        ModelConfig c = ModelConfigTest.small(HeadMode.FACTORIZED, 8, Conditioning.BOTH, true);
        ParameterCount p = ParameterCount.of(c);
        assertEquals(300 * 8 + 32 * 8, p.embeddingHead());
        assertEquals(2 * (1024 + 512 + 512 + 1024), p.attention());
        assertEquals(2 * (2 * 64 * 32), p.mlp());
        // per block: 2 norms x 3 loops x 32 + extra 32 + 64; loop vectors 3 x 32; final 32
        assertEquals(2 * (2 * 3 * 32 + 32 + 64) + 3 * 32 + 32, p.normConditioning());
    }

    @Test
    void loopsAddOnlyConditioning() {
        ModelConfig one = ModelConfigTest.small(HeadMode.UNTIED, 0, Conditioning.NONE, false);
        ModelConfig five = one.withLoops(5);
        assertEquals(ParameterCount.of(one), ParameterCount.of(five));
        assertEquals(2L * 300 * 32, ParameterCount.of(one).embeddingHead());
    }
}
