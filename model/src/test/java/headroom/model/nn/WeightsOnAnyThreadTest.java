package headroom.model.nn;

import ai.djl.Device;
import ai.djl.pytorch.jni.JniUtils;
import headroom.core.WeightTensor;
import headroom.model.ModelConfig;
import headroom.model.ModelConfig.Activation;
import headroom.model.ModelConfig.Conditioning;
import headroom.model.ModelConfig.HeadMode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Spark task loads a model on a thread of its own, where libtorch's autograd is on: loading the weights must work
 * there and leave the thread's autograd mode as it found it (ScoreOnExecutorsTest once failed on exactly this).
 */
class WeightsOnAnyThreadTest {

    @Test
    void weightsLoadOnAFreshThreadWhileAutogradRecords() throws Exception {
        ModelConfig c = new ModelConfig(300, 32, 4, 2, 2, 2, 2, Activation.RELU2, HeadMode.TIED, 0, Conditioning.BOTH, true, 10000, 30, 64);
        try (LmModel a = new LmModel(c, Device.cpu(), 11); LmModel b = new LmModel(c, Device.cpu(), 12)) {
            List<WeightTensor> expected = a.weights();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicReference<Boolean> modeAfter = new AtomicReference<>();
            Thread task = new Thread(() -> {
                try {
                    JniUtils.setGradMode(true);
                    b.loadWeights(expected);
                    modeAfter.set(JniUtils.isGradMode());
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            task.start();
            task.join();
            assertNull(failure.get(), () -> "loading on a thread with autograd on: " + failure.get());
            assertTrue(modeAfter.get(), "the thread's autograd mode is restored");
            List<WeightTensor> loaded = b.weights();
            for (int i = 0; i < expected.size(); i++) assertArrayEquals(expected.get(i).values(), loaded.get(i).values(), expected.get(i).name());
        }
    }
}
