package headroom.scoring.predict;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FittedLawTest {

    private static final List<ScoredRun> RUNS = SyntheticRuns.generate(SyntheticRuns.TRUE, 3, 0.003, 9);

    @Test
    void bootstrapIntervalsCoverTheTruthAndWidenAwayFromTheData() {
        FittedLaw law = FittedLaw.fit(RUNS, 0.01, 100, 1);
        assertEquals(100, law.bootstrap().size() + law.bootstrapFailures());
        LawInput inside = SyntheticRuns.input(1_000_000, 1024, SyntheticRuns.TRAIN_BYTES);
        LawInput far = SyntheticRuns.input(16_000_000, 1024, SyntheticRuns.TRAIN_BYTES);
        Prediction near = law.predict(inside), out = law.predict(far);
        assertTrue(near.low() <= near.bpb() && near.bpb() <= near.high(), near.toString());
        double truth = SyntheticRuns.TRUE.predict(inside);
        assertTrue(near.low() - 0.003 <= truth && truth <= near.high() + 0.003, "truth " + truth + " vs " + near);
        assertTrue(out.high() - out.low() > near.high() - near.low(), "extrapolation is less certain: " + near + " vs " + out);
    }

    @Test
    void ninetyPercentIntervalsCoverTheTruthAboutNinetyPercentOfTheTime() {
        // 60 studies of the same design, each its own seed noise (0.01 bpb, 2 seeds); each fitted with 80 replicates.
        // Checked: the 90% interval of the prediction inside the design, at the largest cap, and carried to 16 MB on
        // 16x the text, and of the trunk and data exponents.
        LawInput[] at = {SyntheticRuns.input(1_000_000, 1024, SyntheticRuns.TRAIN_BYTES), SyntheticRuns.input(2_000_000, 8192, SyntheticRuns.TRAIN_BYTES),
                SyntheticRuns.input(16_000_000, 1024, 16 * SyntheticRuns.TRAIN_BYTES)};
        int studies = 60;
        int[] covered = new int[at.length + 2];
        for (int k = 0; k < studies; k++) {
            FittedLaw law = FittedLaw.fit(SyntheticRuns.generate(SyntheticRuns.TRUE, 2, 0.01, 1000 + k), 0.01, 80, k);
            for (int i = 0; i < at.length; i++) {
                Prediction p = law.predict(at[i], 0.9);
                double truth = SyntheticRuns.TRUE.predict(at[i]);
                if (p.low() <= truth && truth <= p.high()) covered[i]++;
            }
            double[] alpha1 = law.interval(VocabLaw::alpha1, 0.9), beta = law.interval(VocabLaw::beta, 0.9);
            if (alpha1[0] <= SyntheticRuns.TRUE.alpha1() && SyntheticRuns.TRUE.alpha1() <= alpha1[1]) covered[at.length]++;
            if (beta[0] <= SyntheticRuns.TRUE.beta() && SyntheticRuns.TRUE.beta() <= beta[1]) covered[at.length + 1]++;
        }
        System.out.println("90% intervals covering the truth, of " + studies + ": " + java.util.Arrays.toString(covered));
        double pooled = java.util.Arrays.stream(covered).sum() / (double) (studies * covered.length);
        assertTrue(pooled >= 0.8 && pooled <= 0.97, "pooled coverage " + pooled + " " + java.util.Arrays.toString(covered));
        for (int c : covered) assertTrue(c >= 0.75 * studies, "each quantity covered at least 75% of the time: " + java.util.Arrays.toString(covered));
    }

    @Test
    void theSeedMakesTheBootstrapReproducible() {
        assertEquals(FittedLaw.fit(RUNS, 0.01, 30, 5).bootstrap(), FittedLaw.fit(RUNS, 0.01, 30, 5).bootstrap());
        assertNotEquals(FittedLaw.fit(RUNS, 0.01, 30, 5).bootstrap(), FittedLaw.fit(RUNS, 0.01, 30, 6).bootstrap());
    }

    @Test
    void thePriorPredictsWithoutAnInterval() {
        Prediction p = FittedLaw.prior().predict(SyntheticRuns.input(1_000_000, 1024, SyntheticRuns.TRAIN_BYTES));
        assertTrue(Double.isFinite(p.bpb()));
        assertFalse(p.hasInterval());
    }

    @Test
    void savedAndLoadedLawsPredictTheSameNumbers(@TempDir Path dir) throws Exception {
        FittedLaw law = FittedLaw.fit(RUNS, 0.01, 25, 3);
        Path file = dir.resolve("law.json");
        LawJson.save(law, file);
        FittedLaw back = LawJson.load(file);
        assertEquals(law, back);
        LawInput in = SyntheticRuns.input(16_000_000, 4096, SyntheticRuns.TRAIN_BYTES);
        assertEquals(law.predict(in), back.predict(in));

        LawJson.save(FittedLaw.prior(), file);
        assertEquals(FittedLaw.prior().law(), LawJson.load(file).law());
    }

    @Test
    void aFileOfAnotherFormIsRefusedNamingIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bytes-per-param.json");
        Files.writeString(file, "{\"EMBEDDING_HEAD\": 0.93}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LawJson.load(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains(LawJson.FORM), e.getMessage());
    }
}
