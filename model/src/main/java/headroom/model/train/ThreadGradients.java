package headroom.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Records the autograd graph on the calling thread, as DJL's {@code PtGradientCollector} does, without its guard that
 * allows one collector per JVM: libtorch's grad mode is per thread, so trainings and sensitivity estimates on several
 * threads of one JVM (Spark tasks in local mode or on one executor) each record and backpropagate their own graph.
 */
final class ThreadGradients implements AutoCloseable {

    private final boolean previous;

    ThreadGradients() {
        previous = JniUtils.isGradMode();
        JniUtils.setGradMode(true);
    }

    /** d loss / d every parameter that requires a gradient, accumulated into the parameters' gradients. */
    void backward(NDArray loss) {
        JniUtils.backward((PtNDArray) loss, (PtNDArray) loss.onesLike(), false, false);
    }

    @Override
    public void close() {
        JniUtils.setGradMode(previous);
    }
}
