package headroom.model.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import headroom.core.WeightTensor;
import headroom.model.ModelConfig;
import headroom.model.ModelConfig.Activation;
import headroom.model.ModelConfig.Conditioning;
import headroom.model.ModelConfig.HeadMode;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * libtorch prints "AutoNonVariableTypeMode is deprecated" from native code straight to file descriptor 2 when DJL's
 * {@code NDArray.set(Buffer)} runs; no Java log setting can hold it back (issue 25). Loading weights must not reach that
 * code. Only a fresh process shows it (libtorch warns once per process), so each case runs in a child JVM and its
 * stderr is read: loading a model's weights stays quiet and copies every bit, while a plain {@code set} still warns
 * (the control: if libtorch stops warning, this test says so and the question is moot).
 */
class QuietWeightLoadTest {

    private static final String WARNING = "AutoNonVariableTypeMode is deprecated";

    @Test
    void loadingWeightsPrintsNoLibtorchWarningAndCopiesEveryBit() throws Exception {
        String stderr = runChild("load");
        assertTrue(stderr.contains("weights loaded, bit for bit"), stderr);
        assertFalse(stderr.contains(WARNING), "loading weights reached libtorch's deprecated mode:\n" + stderr);
    }

    @Test
    void theControlNDArraySetStillWarns() throws Exception {
        String stderr = runChild("set");
        assertTrue(stderr.contains(WARNING), "NDArray.set no longer warns: this test and its reason can go\n" + stderr);
    }

    private static String runChild(String mode) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream().filter(a -> a.startsWith("-D") || a.startsWith("--add-opens")).toList());
        cmd.addAll(List.of("-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                Child.class.getName(), mode));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "child finished");
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    /** The child process: "load" loads one model's weights into another; "set" calls NDArray.set once. */
    public static final class Child {
        public static void main(String[] args) {
            if (args[0].equals("set")) {
                try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
                    NDArray a = m.zeros(new Shape(4));
                    a.set(new float[] {1, 2, 3, 4});
                }
                System.err.println("set done");
                return;
            }
            ModelConfig c = new ModelConfig(300, 32, 4, 2, 2, 2, 2, Activation.RELU2, HeadMode.UNTIED, 0, Conditioning.BOTH, true,
                    10000, 30, 64);
            try (LmModel a = new LmModel(c, Device.cpu(), 11); LmModel b = new LmModel(c, Device.cpu(), 12)) {
                List<WeightTensor> expected = a.weights();
                // -0.0 and a NaN payload must survive too: a copy, not arithmetic
                float[] first = expected.get(0).values();
                first[0] = -0.0f;
                first[1] = Float.intBitsToFloat(0x7fc00123);
                b.loadWeights(expected);
                List<WeightTensor> loaded = b.weights();
                for (int i = 0; i < expected.size(); i++) {
                    int[] want = bits(expected.get(i).values());
                    assertArrayEquals(want, bits(loaded.get(i).values()), expected.get(i).name());
                }
            }
            System.err.println("weights loaded, bit for bit");
        }

        private static int[] bits(float[] values) {
            int[] out = new int[values.length];
            for (int i = 0; i < values.length; i++) out[i] = Float.floatToRawIntBits(values[i]);
            return out;
        }
    }
}
