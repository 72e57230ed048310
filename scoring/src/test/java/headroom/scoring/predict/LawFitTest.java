package headroom.scoring.predict;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LawFitTest {

    @Test
    void recoversTheLawThatGeneratedTheRunsTrunkAndDataExponentsApart() {
        List<ScoredRun> runs = SyntheticRuns.generate(SyntheticRuns.TRUE, 3, 0.002, 7);
        LawFit.Result fit = new LawFit(0.01).fit(runs);
        VocabLaw t = SyntheticRuns.TRUE, f = fit.law();
        System.out.printf("true %s%nfit  %s rmse %.5f%n", t, f, fit.rmse());
        assertEquals(t.floorBpb(), f.floorBpb(), 0.05, "E");
        assertEquals(t.alpha1(), f.alpha1(), 0.05, "alpha1 (trunk)");
        assertEquals(t.beta(), f.beta(), 0.05, "beta (data)");
        assertEquals(t.alpha2(), f.alpha2(), 0.1, "alpha2");
        // the two exponents are told apart: the fitted ones are on either side of their midpoint, as the true ones are
        assertTrue(f.alpha1() < (t.alpha1() + t.beta()) / 2 && f.beta() > (t.alpha1() + t.beta()) / 2, f.toString());
        assertTrue(fit.rmse() < 0.003, "residuals at the noise level, got " + fit.rmse());
        // what the law is for: the prediction at a cap eight times the largest it saw, on 16x the text
        LawInput far = SyntheticRuns.input(16_000_000, 1024, 16 * SyntheticRuns.TRAIN_BYTES);
        assertEquals(t.predict(far), f.predict(far), 0.03, "extrapolated bpb");
    }

    @Test
    void withoutNoiseTheFitIsExact() {
        List<ScoredRun> runs = SyntheticRuns.generate(SyntheticRuns.TRUE, 1, 0, 1);
        LawFit.Result fit = new LawFit(0.01).fit(runs);
        assertTrue(fit.rmse() < 1e-6, "rmse " + fit.rmse());
        assertEquals(SyntheticRuns.TRUE.alpha2(), fit.law().alpha2(), 1e-3);
        assertEquals(SyntheticRuns.TRUE.alpha1(), fit.law().alpha1(), 1e-3);
        assertEquals(SyntheticRuns.TRUE.beta(), fit.law().beta(), 1e-3);
    }

    @Test
    void theSecondBudgetCarriesTheLawToMoreText() {
        // runs at two budgets fix the data term: the law predicts a run on ten times the text it saw
        LawInput moreData = SyntheticRuns.input(1_000_000, 1024, 10 * SyntheticRuns.TRAIN_BYTES);
        VocabLaw fit = new LawFit(0.01).fit(SyntheticRuns.generate(SyntheticRuns.TRUE, 1, 0, 1)).law();
        assertEquals(SyntheticRuns.TRUE.predict(moreData), fit.predict(moreData), 1e-4);
    }

    @Test
    void oneDivergedRunDoesNotDragTheFit() {
        List<ScoredRun> runs = new ArrayList<>(SyntheticRuns.generate(SyntheticRuns.TRUE, 2, 0.001, 3));
        ScoredRun r = runs.get(5);
        runs.set(5, new ScoredRun(r.runId(), r.corpus(), r.tokenizer(), r.capBytes(), r.candidate(), r.seed(), r.vocabSize(), r.input(), r.bpb() + 1.5));
        VocabLaw robust = new LawFit(0.01).fit(runs).law();
        LawInput far = SyntheticRuns.input(16_000_000, 1024, SyntheticRuns.TRAIN_BYTES);
        assertEquals(SyntheticRuns.TRUE.predict(far), robust.predict(far), 0.05);
    }

    @Test
    void sameRunsInAnyOrderGiveTheSameLawBitForBit() {
        List<ScoredRun> runs = SyntheticRuns.generate(SyntheticRuns.TRUE, 2, 0.002, 11);
        List<ScoredRun> shuffled = new ArrayList<>(runs);
        Collections.shuffle(shuffled, new java.util.Random(5));
        FittedLaw a = FittedLaw.fit(runs, 0.01, 20, 42);
        FittedLaw b = FittedLaw.fit(shuffled, 0.01, 20, 42);
        assertEquals(a.law(), b.law());
        assertEquals(a.bootstrap(), b.bootstrap());
    }

    @Test
    void refusesFewerRunsThanParametersNamingThem() {
        List<ScoredRun> runs = SyntheticRuns.generate(SyntheticRuns.TRUE, 1, 0, 1).subList(0, VocabLaw.PARAMETERS - 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LawFit(0.01).fit(runs));
        assertTrue(e.getMessage().contains("needs at least as many scored runs, got 6"), e.getMessage());
        assertTrue(e.getMessage().contains(runs.get(0).runId()), e.getMessage());
    }

    @Test
    void refusesARunFromAnotherCorpusOrTokenizerNamingIt() {
        List<ScoredRun> runs = new ArrayList<>(SyntheticRuns.generate(SyntheticRuns.TRUE, 1, 0, 1));
        ScoredRun r = runs.get(3);
        runs.set(3, new ScoredRun(r.runId(), "corpus-b", r.tokenizer(), r.capBytes(), r.candidate(), r.seed(), r.vocabSize(), r.input(), r.bpb()));
        IllegalArgumentException corpus = assertThrows(IllegalArgumentException.class, () -> new LawFit(0.01).fit(runs));
        assertTrue(corpus.getMessage().startsWith("run " + r.runId() + " was measured on another corpus (corpus-b)"), corpus.getMessage());

        runs.set(3, new ScoredRun(r.runId(), r.corpus(), "bpe-b", r.capBytes(), r.candidate(), r.seed(), r.vocabSize(), r.input(), r.bpb()));
        IllegalArgumentException tokenizer = assertThrows(IllegalArgumentException.class, () -> new LawFit(0.01).fit(runs));
        assertTrue(tokenizer.getMessage().startsWith("run " + r.runId() + " used another tokenizer family (bpe-b)"), tokenizer.getMessage());
    }
}
