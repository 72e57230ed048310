package headroom.training;

import ai.djl.Device;
import ai.djl.engine.Engine;

/** The conf's device name to a DJL device: never assume CPU (STACK.md, "GPU"). */
public final class Devices {

    private Devices() {
    }

    /** "auto": DJL's default device (a GPU when it finds one and a CUDA libtorch); "cpu"; "gpu" fails clearly without one. */
    public static Device resolve(String name) {
        Engine engine = Engine.getInstance();
        return switch (name) {
            case "auto" -> engine.defaultDevice();
            case "cpu" -> Device.cpu();
            case "gpu" -> {
                if (engine.getGpuCount() == 0) {
                    throw new IllegalStateException("device gpu requested but DJL's " + engine.getEngineName()
                            + " engine finds no GPU; use device auto or cpu, or install a CUDA libtorch (STACK.md, GPU)");
                }
                yield Device.gpu();
            }
            default -> throw new IllegalArgumentException("device must be auto, cpu or gpu, got " + name);
        };
    }
}
