package headroom.scoring.predict;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeldOutCapsTest {

    /** A run whose law input says nothing but its vocabulary (the hand-made predictor reads V back from it). */
    private static ScoredRun run(long cap, int v, long seed, double bpb) {
        LawInput in = new LawInput(1e5, v, 0.3, 1e6);
        return new ScoredRun("c" + cap + "/v" + v + "/s" + seed, "corpus", "bpe", cap, "v" + v, seed, v, in, bpb);
    }

    @Test
    void theZeroParameterGuessesOnAHandMadeFold() {
        // training cap 1: V 512 at 2.0 and 2.2 (mean 2.1), V 1024 at 1.9, V 4096 at 2.0 (V 4096 worse than V 1024 there)
        List<ScoredRun> train = List.of(run(1, 512, 1, 2.0), run(1, 512, 2, 2.2), run(1, 1024, 1, 1.9), run(1, 4096, 1, 2.0));
        // held-out cap 2, measured: V 512 1.8 (seeds 1.7, 1.9), V 1024 1.75, V 4096 1.6
        List<ScoredRun> held = List.of(run(2, 512, 1, 1.7), run(2, 512, 2, 1.9), run(2, 1024, 1, 1.75), run(2, 4096, 1, 1.6));
        // a hand-made law: predicts 1.7 for V 512, 1.6 for V 1024, 1.8 for V 4096
        HeldOutCaps.Fold f = HeldOutCaps.score(HeldOutCaps.FORWARD, 2, List.of(1L), train, held,
                in -> in.vocabParameters() == 512 ? 1.7 : in.vocabParameters() == 1024 ? 1.6 : 1.8);

        assertEquals(3, f.points().size());
        HeldOutCaps.Point v512 = f.points().get(2); // candidates in run-id order: c2/v1024, c2/v4096, c2/v512
        assertEquals(512, v512.vocabSize());
        assertEquals(2, v512.seeds());
        assertEquals(1.8, v512.measured(), 1e-12);
        assertEquals(2.1, v512.meanGuess(), 1e-12);

        // larger V is better: 512 > 1024 > 4096 in bpb, as measured (1.8 > 1.75 > 1.6): 3 of 3 pairs, no value
        assertEquals(1.0, f.largerV().orderAccuracy(), 1e-12);
        assertEquals(3, f.largerV().pairs());
        assertTrue(Double.isNaN(f.largerV().meanAbsoluteError()));
        // the mean guess: 512 -> 2.1, 1024 -> 1.9, 4096 -> 2.0; orders (512,1024) and (512,4096) right, (1024,4096) wrong
        assertEquals(2 / 3.0, f.meanOverCaps().orderAccuracy(), 1e-12);
        assertEquals((0.3 + 0.15 + 0.4) / 3, f.meanOverCaps().meanAbsoluteError(), 1e-12);
        // the law: 512 -> 1.7, 1024 -> 1.6, 4096 -> 1.8; only (512,1024) in order
        assertEquals(1 / 3.0, f.law().orderAccuracy(), 1e-12);
        assertEquals((0.1 + 0.15 + 0.2) / 3, f.law().meanAbsoluteError(), 1e-12);
        // 3 points: too few for Spearman
        assertTrue(Double.isNaN(f.law().spearman()) && Double.isNaN(f.largerV().spearman()));

        // in words: loses on order to both guesses, wins on value
        List<String> shortfalls = f.shortfalls();
        assertEquals(2, shortfalls.size(), shortfalls.toString());
        assertTrue(shortfalls.get(0).contains("'larger V is better'") && shortfalls.get(0).contains("does not beat it on order"), shortfalls.get(0));
        assertTrue(shortfalls.get(1).contains("each V's mean over the other caps"), shortfalls.get(1));
        assertFalse(f.meetsGoal());
    }

    @Test
    void spearmanFromFivePoints() {
        List<ScoredRun> train = new ArrayList<>(), held = new ArrayList<>();
        int[] vocabs = {512, 1024, 2048, 4096, 8192};
        for (int i = 0; i < vocabs.length; i++) {
            train.add(run(1, vocabs[i], 1, 2.0 - 0.1 * i));
            held.add(run(2, vocabs[i], 1, 1.5 - 0.1 * i));
        }
        HeldOutCaps.Fold f = HeldOutCaps.score(HeldOutCaps.FORWARD, 2, List.of(1L), train, held, in -> 1.5 - in.vocabParameters() / 1e5);
        assertEquals(1.0, f.law().spearman(), 1e-12);
        assertEquals(10, f.law().pairs());
        // the guesses order as well: the law ties them on order, which is not beating them
        assertEquals(1.0, f.largerV().spearman(), 1e-12);
        assertTrue(f.shortfalls().stream().anyMatch(s -> s.contains("'larger V is better'")), f.shortfalls().toString());
    }

    @Test
    void forwardExtrapolationOfExactRunsIsExactAndBeatsTheMeanGuess() {
        HeldOutCaps.Fold f = HeldOutCaps.forward(SyntheticRuns.generate(SyntheticRuns.TRUE, 1, 0, 1), 0.01);
        assertEquals(SyntheticRuns.CAPS[3], f.heldOutCap());
        assertEquals(List.of(SyntheticRuns.CAPS[0], SyntheticRuns.CAPS[1], SyntheticRuns.CAPS[2]), f.trainingCaps());
        assertEquals(SyntheticRuns.VOCABS.length, f.points().size());
        assertEquals(1.0, f.law().orderAccuracy(), 1e-12);
        assertTrue(f.law().meanAbsoluteError() < 1e-4, "MAE " + f.law().meanAbsoluteError());
        assertTrue(f.meanOverCaps().meanAbsoluteError() > 0.05, "the mean guess misses the larger cap's gain");
        assertTrue(f.shortfalls().stream().noneMatch(s -> s.contains("on value")), f.shortfalls().toString());
    }

    @Test
    void withSeedNoiseEveryFoldOrdersAndValuesWell() {
        List<ScoredRun> runs = SyntheticRuns.generate(SyntheticRuns.TRUE, 3, 0.002, 13);
        List<HeldOutCaps.Fold> folds = new ArrayList<>(HeldOutCaps.leaveOneCapOut(runs, 0.01));
        folds.add(HeldOutCaps.forward(runs, 0.01));
        for (HeldOutCaps.Fold f : folds) {
            System.out.printf("%s cap %d: order %.3f of %d pairs (larger V %.3f, mean %.3f), MAE %.4f (mean %.4f)%n", f.kind(), f.heldOutCap(),
                    f.law().orderAccuracy(), f.law().pairs(), f.largerV().orderAccuracy(), f.meanOverCaps().orderAccuracy(),
                    f.law().meanAbsoluteError(), f.meanOverCaps().meanAbsoluteError());
            assertEquals(3, f.points().get(0).seeds());
            assertTrue(f.law().orderAccuracy() >= 0.8, f.kind() + " cap " + f.heldOutCap() + " order " + f.law().orderAccuracy());
            assertTrue(f.law().meanAbsoluteError() < 0.02, f.kind() + " cap " + f.heldOutCap() + " MAE " + f.law().meanAbsoluteError());
        }
    }

    @Test
    void aFoldWithTooFewOtherRunsSaysSo() {
        List<ScoredRun> runs = SyntheticRuns.generate(SyntheticRuns.TRUE, 1, 0, 1).stream()
                .filter(r -> r.capBytes() == SyntheticRuns.CAPS[2] || r.capBytes() == SyntheticRuns.CAPS[3]).toList(); // 4 runs per cap
        HeldOutCaps.Fold f = HeldOutCaps.forward(runs, 0.01);
        assertTrue(f.skipped().contains("fewer than the law's 7 parameters"), f.skipped());
        assertTrue(Double.isNaN(f.law().orderAccuracy()));
        assertTrue(f.shortfalls().isEmpty());
        assertFalse(f.meetsGoal());
    }
}
