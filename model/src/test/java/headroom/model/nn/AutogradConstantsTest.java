package headroom.model.nn;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import headroom.model.ModelConfig;
import headroom.model.ModelConfig.Activation;
import headroom.model.ModelConfig.Conditioning;
import headroom.model.ModelConfig.HeadMode;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Issue 13's root cause, kept from coming back: a constant used inside the autograd graph must be
 * memory that torch owns. DJL's {@code NDArray.mul(Number)} wraps the number in a tensor that only
 * borrows a direct ByteBuffer (torch::from_blob) and closes it right after the op; autograd has saved
 * that tensor for the backward pass, so once the JVM's cleaner frees the buffer, backward reads
 * whatever malloc put there since. This test puts a garbage collection and a flood of fresh direct
 * buffers between forward and backward: the gradients must not notice.
 */
class AutogradConstantsTest {

    private static final int T = 16;

    @Test
    void gradientsDoNotDependOnWhatTheJvmFreesBetweenForwardAndBackward() throws InterruptedException {
        ModelConfig config = new ModelConfig(300, 32, 4, 2, 2, 2, 2, Activation.RELU2, HeadMode.TIED, 0, Conditioning.BOTH, true,
                10000, 30, 64);
        long[] tokens = new long[2 * T];
        long[] targets = new long[2 * T];
        Random r = new Random(3);
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = r.nextInt(300);
            targets[i] = r.nextInt(300);
        }
        try (LmModel model = new LmModel(config, Device.cpu(), 7)) {
            List<float[]> quiet = gradients(model, tokens, targets, false);
            for (int attempt = 0; attempt < 3; attempt++) {
                List<float[]> disturbed = gradients(model, tokens, targets, true);
                for (int i = 0; i < quiet.size(); i++) {
                    assertArrayEquals(quiet.get(i), disturbed.get(i), 0f, "gradient of " + model.parameters().get(i).name()
                            + " changed when the JVM freed and reused native memory between forward and backward");
                }
            }
        }
    }

    private static List<float[]> gradients(LmModel model, long[] tokens, long[] targets, boolean disturb) throws InterruptedException {
        List<ByteBuffer> flood = new ArrayList<>();
        try (NDManager step = model.newChildManager()) {
            NDArray x = step.create(tokens, new Shape(2, T));
            NDArray y = step.create(targets, new Shape(2, T));
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray logits = model.logits(x); // (B, T, V)
                NDArray loss = logits.reshape(-1, 300).logSoftmax(-1).gather(y.reshape(-1, 1), 1).mean().neg();
                if (disturb) {
                    for (int round = 0; round < 3; round++) {
                        System.gc();
                        Thread.sleep(30);
                        for (int i = 0; i < 20_000; i++) {
                            flood.add(ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder()).putFloat(0, 12345.678f));
                        }
                    }
                }
                collector.backward(loss);
            }
            List<float[]> out = new ArrayList<>();
            for (Parameter p : model.parameters()) {
                NDArray g = p.array().getGradient();
                out.add(g.toFloatArray());
                g.subi(g);
            }
            return out;
        } finally {
            flood.clear();
        }
    }
}
