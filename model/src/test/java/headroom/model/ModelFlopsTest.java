package headroom.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ModelFlopsTest {

    @Test
    void benchModelByHand() {
        // V=2048 d=256, 8 heads / 4 KV heads of 32, U=2 x L=3, MLP 2x, tied (bench/training-bench.sh "medium")
        ModelConfig c = new ModelConfig(2048, 256, 8, 4, 2, 3, 2, ModelConfig.Activation.RELU2, ModelConfig.HeadMode.TIED, 0,
                ModelConfig.Conditioning.LOOP_GAIN, false, 10_000, 30, 128);
        // per block: wq 65,536 + wk 32,768 + wv 32,768 + wo 65,536 + w1 131,072 + w2 131,072 = 458,752; 6 passes; head 524,288
        assertEquals(6 * 458_752 + 524_288, ModelFlops.matmulParametersPerToken(c));
        // 6N = 19,660,800; attention 12 x 6 layers x T=128 x d=256 = 2,359,296
        assertEquals(22_020_096, ModelFlops.trainingPerToken(c, 128));
        assertEquals(22_020_096 / 3.0, ModelFlops.forwardPerToken(c, 128));
    }

    @Test
    void factorizedHeadCountsTheProjectionTwice() {
        // V=1024 d=64 r=16, 2 heads / 2 KV of 32, U=1 x L=1, MLP 3x
        ModelConfig c = new ModelConfig(1024, 64, 2, 2, 1, 1, 3, ModelConfig.Activation.GELU, ModelConfig.HeadMode.FACTORIZED, 16,
                ModelConfig.Conditioning.NONE, false, 10_000, 0, 64);
        long block = 4 * 64 * 64 + 2 * 192 * 64;                 // wq wk wv wo, w1 w2
        long head = 2 * 64 * 16 + 1024 * 16;                      // d x r in and out, V x r
        assertEquals(block + head, ModelFlops.matmulParametersPerToken(c));
    }
}
