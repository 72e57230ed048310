package headroom.model.train;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConvergenceTest {

    private static final long[] STEPS = {0, 100, 180, 200};

    @Test
    void aTailThatFellMoreThanTheThresholdIsStillLearning() {
        // 200 steps: the tail is steps 180..200, and val bpb fell 0.0150 over it
        Convergence c = Convergence.of(STEPS, new double[]{8.0, 2.5, 2.0150, 2.0000}, 0.1, 0.01);
        assertEquals(180, c.tailStartStep());
        assertEquals(0.0150, c.tailMoveBpb(), 1e-12);
        assertTrue(c.stillLearning());
    }

    @Test
    void aTailThatFellLessThanTheThresholdFinishedLearning() {
        Convergence c = Convergence.of(STEPS, new double[]{8.0, 2.5, 2.0090, 2.0000}, 0.1, 0.01);
        assertEquals(0.0090, c.tailMoveBpb(), 1e-12);
        assertFalse(c.stillLearning());
    }

    @Test
    void theThresholdItselfCountsAsFinished() {
        assertFalse(Convergence.of(STEPS, new double[]{8.0, 2.5, 2.25, 2.24}, 0.1, 0.01 + 1e-12).stillLearning());
        assertTrue(Convergence.of(STEPS, new double[]{8.0, 2.5, 2.25, 2.24}, 0.1, 0.01 - 1e-12).stillLearning());
    }

    @Test
    void aRiseAtTheEndIsMovementToo() {
        Convergence c = Convergence.of(STEPS, new double[]{8.0, 2.5, 2.00, 2.05}, 0.1, 0.01);
        assertEquals(-0.05, c.tailMoveBpb(), 1e-12);
        assertTrue(c.stillLearning());
    }

    @Test
    void withoutAnEvaluationAtTheTailsStartTheEarlierOneIsUsed() {
        // stopped early at step 150: its tail would start at 135, the latest evaluation before that is step 100
        Convergence c = Convergence.of(new long[]{0, 100, 150}, new double[]{8.0, 2.5, 2.45}, 0.1, 0.01);
        assertEquals(100, c.tailStartStep());
        assertEquals(0.05, c.tailMoveBpb(), 1e-12);
    }

    @Test
    void aLogWithOneEvaluationIsUnmeasuredAndStillLearning() {
        Convergence c = Convergence.of(new long[]{10}, new double[]{2.0}, 0.1, 0.01);
        assertTrue(Double.isNaN(c.tailMoveBpb()));
        assertTrue(c.stillLearning());
    }

    @Test
    void theTailStartsAtTheCeilingOfItsFraction() {
        assertEquals(180, Convergence.tailStartStep(200, 0.1));
        assertEquals(176, Convergence.tailStartStep(196, 0.1)); // 19.6 steps round up to 20
        assertEquals(0, Convergence.tailStartStep(1, 0.1));
    }
}
