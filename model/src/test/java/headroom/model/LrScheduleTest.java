package headroom.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LrScheduleTest {

    private static final double EPS = 1e-15;

    @Test
    void cosineWarmupThenDecayToFloor() {
        LrSchedule s = new LrSchedule(1e-3, 1e-4, 10, 110, TrainConfig.Decay.COSINE);
        assertEquals(1e-4, s.at(0), EPS);    // 1/10 of the peak
        assertEquals(1e-3, s.at(9), EPS);    // warmup end
        assertEquals(1e-3, s.at(10), EPS);   // decay start
        assertEquals(5.5e-4, s.at(60), EPS); // half way: floor + half the span
        assertEquals(1e-4, s.at(110), EPS);  // decay end
        assertEquals(1e-4, s.at(500), EPS);  // then the floor
    }

    @Test
    void linearDecay() {
        LrSchedule s = new LrSchedule(1e-3, 0, 0, 100, TrainConfig.Decay.LINEAR);
        assertEquals(1e-3, s.at(0), EPS);
        assertEquals(7.5e-4, s.at(25), EPS);
        assertEquals(1e-5, s.at(99), EPS);
        assertEquals(0, s.at(100), EPS);
    }

    @Test
    void tokenBudgetShortensTheHorizon() {
        TrainConfig c = TrainConfigTest.tiny(1000, 64 * 32 * 10 + 1);
        assertEquals(11, c.horizonSteps());
        assertEquals(11, LrSchedule.of(c).horizonSteps());
    }
}
