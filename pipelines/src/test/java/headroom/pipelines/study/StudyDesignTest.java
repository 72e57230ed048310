package headroom.pipelines.study;

import com.typesafe.config.Config;
import headroom.pipelines.DemoSlice;
import headroom.pipelines.conf.ConfException;
import headroom.pipelines.conf.HeadroomConf;
import headroom.pipelines.sweep.BudgetTables;
import headroom.pipelines.sweep.PlanBytes;
import headroom.pipelines.sweep.RecipeConf;
import headroom.pipelines.sweep.SweepConf;
import headroom.pipelines.sweep.SweepRows.VocabMetrics;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The design of conf/study-demo.conf and its refusals, without Spark. */
class StudyDesignTest {

    /** Sweep metrics as the demo corpus gives them, tokenizer assets rounded up (the budget only needs them not to be under). */
    private static final List<VocabMetrics> METRICS = List.of(
            metrics(257, 0.98, 400), metrics(512, 0.52, 1_500), metrics(1024, 0.42, 4_000),
            metrics(2048, 0.36, 9_000), metrics(4096, 0.32, 19_000), metrics(8192, 0.29, 40_000));

    private static VocabMetrics metrics(int v, double tokensPerByte, long tokenizerBytes) {
        return new VocabMetrics(v, v - 257, 10, 1000, 2000, tokensPerByte, tokensPerByte, Double.NaN, tokenizerBytes);
    }

    private static List<StudyDesign.Run> design(Config config) {
        SweepConf sweep = SweepConf.from(config);
        BudgetTables.Inputs sizing = new BudgetTables.Inputs(sweep.budget(), sweep.sizingPlan().name(),
                PlanBytes.prior(sweep.sizingPlan(), sweep.budget().bytesPerParameter()), RecipeConf.from(config), sweep.context());
        return StudyDesign.runs(StudyConf.from(config), METRICS, sizing);
    }

    @Test
    void theDemoStudyFillsEveryCapWithEveryVocabularyOncePerSeed() {
        Config config = HeadroomConf.load(DemoSlice.repoRoot().resolve("conf/study-demo.conf"), List.of());
        List<StudyDesign.Run> runs = design(config);
        assertEquals(24, runs.size());
        assertEquals(24, runs.stream().map(StudyDesign.Run::name).distinct().count(), "every run has its own name");
        for (StudyDesign.Run r : runs) {
            assertTrue(r.candidate().estimatedBytes() <= r.capBytes() && r.candidate().estimatedBytes() > 0.5 * r.capBytes(),
                    r.name() + " estimated at " + r.candidate().estimatedBytes());
        }
        assertEquals(List.of(1L, 2L), runs.stream().map(StudyDesign.Run::seed).distinct().toList());
    }

    @Test
    void aCapThatAVocabularyCannotFillIsRefusedNamingTheCap() {
        Config config = HeadroomConf.load(DemoSlice.repoRoot().resolve("conf/study-demo.conf"), List.of("study.caps=[100000, 1000000]"));
        ConfException e = assertThrows(ConfException.class, () -> design(config));
        assertTrue(e.getMessage().startsWith("the study design cannot fill cap 100,000 bytes (headroom.study.caps) with vocabulary 8192"),
                e.getMessage());
    }

    @Test
    void aVocabularyTheSweepDidNotMeasureIsRefused() {
        Config config = HeadroomConf.load(DemoSlice.repoRoot().resolve("conf/study-demo.conf"), List.of("study.vocab-sizes=[512, 3000]"));
        ConfException e = assertThrows(ConfException.class, () -> design(config));
        assertTrue(e.getMessage().contains("lists 3000, which the sweep did not measure"), e.getMessage());
    }

    @Test
    void badStudyKeysAreNamed() {
        ConfException one = assertThrows(ConfException.class, () -> StudyConf.from(HeadroomConf.load(null, List.of("study.caps=[1000000]"))));
        assertTrue(one.getMessage().contains("headroom.study.caps") && one.getMessage().contains("at least 2 caps"), one.getMessage());
        ConfException plan = assertThrows(ConfException.class, () -> StudyConf.from(HeadroomConf.load(null, List.of("study.precision-plan=\"emb=int9\""))));
        assertTrue(plan.getMessage().contains("headroom.study.precision-plan"), plan.getMessage());
    }
}
