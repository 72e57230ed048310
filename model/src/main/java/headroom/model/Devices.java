package headroom.model;

import ai.djl.Device;
import ai.djl.engine.Engine;

import java.util.OptionalInt;

/** The conf's device name to a DJL device: never assume CPU (STACK.md, "GPU"). */
public final class Devices {

    private Devices() {
    }

    /** "auto": DJL's default device (a GPU when it finds one and a CUDA libtorch); "cpu"; "gpu" fails clearly without one. */
    public static Device resolve(String name) {
        return resolve(name, OptionalInt.empty());
    }

    /**
     * As {@link #resolve(String)}, on the GPU a scheduler assigned ({@code assignedGpu}, a CUDA device index, as Spark's
     * resource scheduling hands out) instead of DJL's default GPU 0: concurrent trainings on one node each get their own.
     * "cpu" stays on the CPU whatever was assigned.
     */
    public static Device resolve(String name, OptionalInt assignedGpu) {
        Engine engine = Engine.getInstance();
        if (assignedGpu.isPresent() && !"cpu".equals(name)) {
            int gpu = assignedGpu.getAsInt();
            if (gpu >= engine.getGpuCount()) {
                throw new IllegalStateException("GPU " + gpu + " was assigned to this training but DJL's " + engine.getEngineName()
                        + " engine finds " + engine.getGpuCount() + " GPU(s); check the GPU discovery script's addresses against"
                        + " CUDA_VISIBLE_DEVICES, or install a CUDA libtorch (STACK.md, GPU)");
            }
            return Device.gpu(gpu);
        }
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
