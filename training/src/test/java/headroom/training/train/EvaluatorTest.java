package headroom.training.train;

import ai.djl.Device;
import headroom.tokenizer.ByteAuditException;
import headroom.tokenizer.shards.TokenStream;
import headroom.training.ByteCorpus;
import headroom.training.ModelConfig;
import headroom.training.model.LmModel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvaluatorTest {

    private static ModelConfig config() {
        return new ModelConfig(ByteCorpus.VOCAB_SIZE, 32, 4, 4, 1, 2, 2, ModelConfig.Activation.GELU,
                ModelConfig.HeadMode.TIED, 0, ModelConfig.Conditioning.LOOP_GAIN, false, 10000, 0, 32);
    }

    @Test
    void everyPositionAfterTheFirstIsATargetOnce() {
        // 3 docs: 1 + 5, 1 + 12, 1 + 2 tokens = 22 tokens, 21 targets carrying 19 bytes; T=8 -> windows of 8, 8, 5
        TokenStream stream = ByteCorpus.of(List.of("Hello".getBytes(StandardCharsets.UTF_8),
                "é and more!".getBytes(StandardCharsets.UTF_8), "ok".getBytes(StandardCharsets.UTF_8)));
        assertEquals(22, stream.size());
        try (LmModel model = new LmModel(config(), Device.cpu(), 1)) {
            EvalResult r = new Evaluator(8, 2).evaluate(model, stream, ByteCorpus.tokenByteLengths());
            assertEquals(21, r.targets());
            assertEquals(19, r.targetBytes()); // "é" is 2 UTF-8 bytes, BOS 0
            // an untrained model is close to uniform: about ln V nats per target
            assertEquals(Math.log(ByteCorpus.VOCAB_SIZE), r.meanLoss(), 0.3);
            // batching and window order do not change the sum
            EvalResult single = new Evaluator(8, 1).evaluate(model, stream, ByteCorpus.tokenByteLengths());
            assertEquals(r.sumNats(), single.sumNats(), 1e-4);
            EvalResult moreLoops = new Evaluator(8, 2).evaluate(model, stream, ByteCorpus.tokenByteLengths(), 4);
            assertTrue(Double.isFinite(moreLoops.bpb()));
        }
    }

    @Test
    void byteAuditMismatchThrows() {
        TokenStream stream = ByteCorpus.of(List.of("abc".getBytes(StandardCharsets.UTF_8)));
        int[] wrong = ByteCorpus.tokenByteLengths();
        wrong[ByteCorpus.BOS] = 1; // a special token must carry 0 bytes, but BOS is never a target here...
        wrong['b'] = 2;            // ...so count 'b' twice, like a space counted twice
        try (LmModel model = new LmModel(config(), Device.cpu(), 1)) {
            ByteAuditException e = assertThrows(ByteAuditException.class,
                    () -> new Evaluator(8, 1).evaluate(model, stream, wrong));
            assertEquals("byte audit failed for the evaluated token stream: tokens carry 4 bytes but the text has 3 UTF-8 bytes (difference 1)",
                    e.getMessage());
        }
    }
}
