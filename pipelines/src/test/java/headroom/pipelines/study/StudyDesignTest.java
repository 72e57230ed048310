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
    void theDemoStudyVariesOnlyTheWidthWithinAVocabularyAndTrainsTwoBudgetsAtTwoCaps() {
        Config config = HeadroomConf.load(DemoSlice.repoRoot().resolve("conf/study-demo.conf"), List.of());
        List<StudyDesign.Run> runs = design(config);
        runs.forEach(r -> System.out.printf("%s %,d bytes (%.1f%%)%n", r.name(), r.candidate().estimatedBytes(), 100.0 * r.candidate().estimatedBytes() / r.capBytes()));
        // 4 caps x 5 vocabularies at 700 kB, and the smallest and largest caps' 5 again at 1.4 MB
        assertEquals(30, runs.size());
        assertEquals(30, runs.stream().map(StudyDesign.Run::name).distinct().count(), "every run has its own name");
        for (StudyDesign.Run r : runs) {
            assertTrue(r.candidate().estimatedBytes() <= r.capBytes() && r.candidate().estimatedBytes() >= 0.7 * r.capBytes(),
                    r.name() + " estimated at " + r.candidate().estimatedBytes());
            // the recipe's shape at every cap: only d moves
            assertEquals(2, r.candidate().uniqueBlocks(), r.name());
            assertEquals(4, r.candidate().mlpMult(), r.name());
            assertEquals(2, r.candidate().loops(), r.name());
        }
        for (int v : List.of(512, 1024, 2048, 4096, 8192)) {
            List<Integer> widths = runs.stream().filter(r -> r.candidate().vocabSize() == v && r.budget() == 700_000).map(r -> r.candidate().dModel()).toList();
            assertEquals(4, widths.size());
            for (int i = 1; i < widths.size(); i++) assertTrue(widths.get(i) > widths.get(i - 1), "V " + v + " grows in width with the cap: " + widths);
        }
        // the second budget: the same candidates as the first at 0.6 and 2.5 MB, none at 1 and 1.6 MB
        assertEquals(List.of(600_000L, 2_500_000L), runs.stream().filter(r -> r.budget() == 1_400_000).map(StudyDesign.Run::capBytes).distinct().toList());
        assertEquals(runs.stream().filter(r -> r.budget() == 1_400_000).map(r -> r.candidate().name()).toList(),
                runs.stream().filter(r -> r.budget() == 700_000 && (r.capBytes() == 600_000 || r.capBytes() == 2_500_000)).map(r -> r.candidate().name()).toList());
        assertTrue(runs.get(0).name().endsWith("-b700000-s1"), runs.get(0).name());
    }

    @Test
    void aCapThatAVocabularyCannotFillIsRefusedNamingTheCap() {
        Config config = HeadroomConf.load(DemoSlice.repoRoot().resolve("conf/study-demo.conf"), List.of("study.caps=[100000, 1000000]", "study.more-budgets-at-caps=[1000000]"));
        ConfException e = assertThrows(ConfException.class, () -> design(config));
        assertTrue(e.getMessage().startsWith("the study design cannot fill cap 100,000 bytes (headroom.study.caps) with vocabulary ")
                        && e.getMessage().contains("headroom.study.fill-band"),
                e.getMessage());
    }

    @Test
    void aVocabularyTheSweepDidNotMeasureIsRefused() {
        Config config = HeadroomConf.load(DemoSlice.repoRoot().resolve("conf/study-demo.conf"), List.of("study.vocab-sizes=[512, 3000]"));
        ConfException e = assertThrows(ConfException.class, () -> design(config));
        assertTrue(e.getMessage().contains("lists 3000, which the sweep did not measure"), e.getMessage());
    }

    @Test
    void aDesignWithOneBudgetIsRefused() {
        ConfException one = assertThrows(ConfException.class, () -> StudyConf.from(HeadroomConf.load(null, List.of("study.train-budgets=[700000]"))));
        assertTrue(one.getMessage().contains("headroom.study.train-budgets") && one.getMessage().contains("data exponent"), one.getMessage());
        ConfException cap = assertThrows(ConfException.class, () -> StudyConf.from(HeadroomConf.load(null, List.of("study.more-budgets-at-caps=[777]"))));
        assertTrue(cap.getMessage().contains("headroom.study.more-budgets-at-caps"), cap.getMessage());
    }

    @Test
    void badStudyKeysAreNamed() {
        ConfException one = assertThrows(ConfException.class, () -> StudyConf.from(HeadroomConf.load(null, List.of("study.caps=[1000000]"))));
        assertTrue(one.getMessage().contains("headroom.study.caps") && one.getMessage().contains("at least 2 caps"), one.getMessage());
        ConfException plan = assertThrows(ConfException.class, () -> StudyConf.from(HeadroomConf.load(null, List.of("study.precision-plan=\"emb=int9\""))));
        assertTrue(plan.getMessage().contains("headroom.study.precision-plan"), plan.getMessage());
    }
}
