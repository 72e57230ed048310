package headroom.model.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import headroom.core.ByteAuditException;
import headroom.core.TokenStream;
import headroom.model.ByteCorpus;
import headroom.model.ModelConfig;
import headroom.model.nn.LmModel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

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
    void batchingAndSharedLoopsGiveTheSameBitsPerByteToTheLastDigit() {
        ModelConfig config = new ModelConfig(ByteCorpus.VOCAB_SIZE, 64, 4, 2, 2, 2, 2, ModelConfig.Activation.RELU2,
                ModelConfig.HeadMode.TIED, 0, ModelConfig.Conditioning.LOOP_GAIN, false, 10000, 30, 32);
        Random random = new Random(11);
        List<byte[]> docs = new ArrayList<>();
        for (int d = 0; d < 12; d++) {
            byte[] text = new byte[20 + random.nextInt(60)];
            for (int i = 0; i < text.length; i++) text[i] = (byte) ('a' + random.nextInt(26));
            docs.add(text);
        }
        TokenStream stream = ByteCorpus.of(docs); // about 600 targets: 18 full windows of 32 and a tail
        int[] lengths = ByteCorpus.tokenByteLengths();
        try (LmModel model = new LmModel(config, Device.cpu(), 3)) {
            for (int loops = 2; loops <= 4; loops++) {
                double reference = oneWindowAtATime(model, stream, 32, loops);
                EvalResult batched = new Evaluator(32, 8).evaluate(model, stream, lengths, loops);
                System.out.printf("L=%d: nats one window at a time %.17g, batched %.17g%n", loops, reference, batched.sumNats());
                assertEquals(reference, batched.sumNats(), "batching must not change the sum, L=" + loops);
            }
            Map<Integer, EvalResult> shared = new Evaluator(32, 8).evaluateAtLoops(model, stream, lengths, new int[] {2, 3, 4});
            for (int loops = 2; loops <= 4; loops++) {
                assertEquals(new Evaluator(32, 8).evaluate(model, stream, lengths, loops).bpb(), shared.get(loops).bpb(),
                        "one pass for every loop count must equal a pass per count, L=" + loops);
            }
        }
    }

    /** The evaluation as it was before batching: a forward per window, nats summed in float64 in stream order. */
    private static double oneWindowAtATime(LmModel model, TokenStream stream, int seqLen, int loops) {
        double sum = 0;
        try (NDManager m = model.newChildManager()) {
            for (long start = 0; start < stream.size() - 1; start += seqLen) {
                int t = (int) Math.min(seqLen, stream.size() - 1 - start);
                long[] x = new long[t];
                long[] y = new long[t];
                for (int i = 0; i < t; i++) {
                    x[i] = stream.token(start + i);
                    y[i] = stream.token(start + i + 1);
                }
                try (NDManager window = m.newSubManager()) {
                    NDArray logits = model.logits(window.create(x, new Shape(1, t)), loops);
                    double windowSum = 0;
                    for (float n : Losses.tokenNats(logits, window.create(y, new Shape(1, t))).toFloatArray()) windowSum += n;
                    sum += windowSum;
                }
            }
        }
        return sum;
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
