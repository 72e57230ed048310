package headroom.model.train;

import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Asks the training loop to checkpoint and stop before the given step. {@link #onSigterm()} turns
 * SIGTERM into such a request instead of killing the JVM mid-write.
 */
@FunctionalInterface
public interface StopRequest {

    boolean stopBefore(long step);

    /** Never stops. */
    StopRequest NEVER = step -> false;

    /** A request set by SIGTERM; {@link Sigterm#close()} restores the previous handler. */
    static Sigterm onSigterm() {
        return new Sigterm();
    }

    final class Sigterm implements StopRequest, AutoCloseable {
        private static final Signal TERM = new Signal("TERM");
        private final AtomicBoolean received = new AtomicBoolean();
        private final SignalHandler previous;

        private Sigterm() {
            previous = Signal.handle(TERM, signal -> received.set(true));
        }

        @Override
        public boolean stopBefore(long step) {
            return received.get();
        }

        @Override
        public void close() {
            Signal.handle(TERM, previous);
        }
    }
}
