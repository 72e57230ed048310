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
        LawInput inside = SyntheticRuns.input(1_000_000, 1024);
        LawInput far = SyntheticRuns.input(16_000_000, 1024);
        Prediction near = law.predict(inside), out = law.predict(far);
        assertTrue(near.low() <= near.bpb() && near.bpb() <= near.high(), near.toString());
        double truth = SyntheticRuns.TRUE.predict(inside);
        assertTrue(near.low() - 0.003 <= truth && truth <= near.high() + 0.003, "truth " + truth + " vs " + near);
        assertTrue(out.high() - out.low() > near.high() - near.low(), "extrapolation is less certain: " + near + " vs " + out);
    }

    @Test
    void theSeedMakesTheBootstrapReproducible() {
        assertEquals(FittedLaw.fit(RUNS, 0.01, 30, 5).bootstrap(), FittedLaw.fit(RUNS, 0.01, 30, 5).bootstrap());
        assertNotEquals(FittedLaw.fit(RUNS, 0.01, 30, 5).bootstrap(), FittedLaw.fit(RUNS, 0.01, 30, 6).bootstrap());
    }

    @Test
    void thePriorPredictsWithoutAnInterval() {
        Prediction p = FittedLaw.prior().predict(SyntheticRuns.input(1_000_000, 1024));
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
        LawInput in = SyntheticRuns.input(16_000_000, 4096);
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
