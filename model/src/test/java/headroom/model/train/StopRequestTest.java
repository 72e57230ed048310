package headroom.model.train;

import org.junit.jupiter.api.Test;
import sun.misc.Signal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StopRequestTest {

    @Test
    void sigtermBecomesAStopRequestInsteadOfKillingTheJvm() throws Exception {
        try (StopRequest.Sigterm sigterm = StopRequest.onSigterm()) {
            assertFalse(sigterm.stopBefore(0));
            Signal.raise(new Signal("TERM"));
            // the handler runs on a JVM signal thread
            for (int i = 0; i < 200 && !sigterm.stopBefore(1); i++) Thread.sleep(10);
            assertTrue(sigterm.stopBefore(1));
        }
    }
}
