package headroom.scoring.predict;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LeaveOneCapOutTest {

    @Test
    void runsThatFollowTheLawExactlyArePredictedExactlyAtEveryHeldOutCap() {
        List<LeaveOneCapOut.Fold> folds = LeaveOneCapOut.run(SyntheticRuns.generate(SyntheticRuns.TRUE, 1, 0, 1), 0.01);
        assertEquals(SyntheticRuns.CAPS.length, folds.size());
        for (LeaveOneCapOut.Fold f : folds) {
            assertEquals(SyntheticRuns.VOCABS.length, f.points().size());
            assertEquals(1.0, f.spearman(), 1e-12, "cap " + f.heldOutCap());
            assertTrue(f.meanAbsoluteError() < 1e-5, "cap " + f.heldOutCap() + " MAE " + f.meanAbsoluteError());
        }
    }

    @Test
    void withSeedNoiseTheHeldOutRankingStaysAboveTheGoal() {
        List<LeaveOneCapOut.Fold> folds = LeaveOneCapOut.run(SyntheticRuns.generate(SyntheticRuns.TRUE, 3, 0.002, 13), 0.01);
        for (LeaveOneCapOut.Fold f : folds) {
            System.out.printf("held-out cap %d: spearman %.3f, MAE %.4f%n", f.heldOutCap(), f.spearman(), f.meanAbsoluteError());
            assertEquals(3, f.points().get(0).seeds());
            assertTrue(f.spearman() >= 0.8, "cap " + f.heldOutCap() + " spearman " + f.spearman());
            assertTrue(f.meanAbsoluteError() < 0.02, "cap " + f.heldOutCap() + " MAE " + f.meanAbsoluteError());
        }
    }

    @Test
    void aFoldWithTooFewOtherRunsSaysSo() {
        List<ScoredRun> runs = SyntheticRuns.generate(SyntheticRuns.TRUE, 1, 0, 1).stream()
                .filter(r -> r.capBytes() <= 500_000).toList(); // 2 caps x 4 vocabularies: 4 runs left per fold
        List<LeaveOneCapOut.Fold> folds = LeaveOneCapOut.run(runs, 0.01);
        assertTrue(folds.get(0).skipped().contains("fewer than the law's 6 parameters"), folds.get(0).skipped());
        assertTrue(Double.isNaN(folds.get(0).spearman()));
    }
}
