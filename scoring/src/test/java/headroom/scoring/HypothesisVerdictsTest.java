package headroom.scoring;

import headroom.scoring.HypothesisVerdicts.Adjusted;
import headroom.scoring.HypothesisVerdicts.Design;
import headroom.scoring.HypothesisVerdicts.Measured;
import headroom.scoring.HypothesisVerdicts.Parts;
import headroom.scoring.HypothesisVerdicts.Role;
import headroom.scoring.HypothesisVerdicts.Rules;
import headroom.scoring.HypothesisVerdicts.Tokenizer;
import headroom.scoring.HypothesisVerdicts.Verdict;
import headroom.scoring.HypothesisVerdicts.Word;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hand-made per-seed results with known intervals and a known Holm step-down: each criterion's word and
 * adjusted interval follow from them. t(0.975, 2) = 4.3027; t(0.9875, 2) = 6.2053 (df = 2 has the closed
 * form t = u sqrt(2 / (1 - u^2)), u = 2p - 1).
 */
class HypothesisVerdictsTest {

    private static final Rules RULES = new Rules(0.005, 0.10);
    private static final Tokenizer SMALL = new Tokenizer(0.44, 0.45, 0.52);
    private static final Tokenizer LARGE = new Tokenizer(0.33, 0.345, 0.42);
    private static final Design DESIGN = new Design("512/2048", "int8", 512, 2048, "A", "B", "C", 210_000, 5_000, SMALL, LARGE);
    private static final double T2 = 4.3027, T2_HOLM = 6.2053;

    private static List<Measured> rows(String candidate, double[] bpb, double[] heldout, double tpb, double heldoutTpb, Parts[] parts) {
        List<Measured> out = new ArrayList<>();
        for (int s = 0; s < bpb.length; s++) {
            long total = parts[s].total();
            out.add(new Measured(candidate, 1337 + s, bpb[s], bpb[s] - 0.001, heldout[s], tpb, heldoutTpb, parts[s], total / 1_000_000.0,
                    total >= 980_000, false, 0.001));
        }
        return out;
    }

    private static Parts[] parts(long head, long tokenizer, long trunk, long... headDelta) {
        Parts[] p = new Parts[3];
        for (int s = 0; s < 3; s++) p[s] = new Parts(head + headDelta[s], trunk, 2_000, tokenizer, 400);
        return p;
    }

    /**
     * A - C = [0.020, 0.021, 0.022]: mean 0.021, sd 0.001: [0.01852, 0.02348] at 95%, above +0.005: the primary holds.
     * B - C = {@code reinvest}; DiD = (A - C out of domain) - (A - C on val) = [-0.002, 0, +0.002]: mean 0, sd 0.002,
     * non-inferiority p = 2 P(T > 0.005 / (0.002 / sqrt 3)) = 0.0494.
     * Bytes: A 1,000,000 (head 400,000, tokenizer 17,600); B 800,000 (head 205,000 +/- 100, tokenizer 12,600): 200,000 freed,
     * 195,000 of it head, against 210,000 predicted (205,000 head, 5,000 tokenizer).
     */
    private static List<Measured> measured(double[] reinvest) {
        List<Measured> all = new ArrayList<>();
        all.addAll(rows("A", new double[]{1.500, 1.500, 1.500}, new double[]{1.700, 1.700, 1.700}, 0.345, 0.42,
                parts(400_000, 17_600, 580_000, 0, 0, 0)));
        double[] c = {1.480, 1.479, 1.478};
        all.addAll(rows("B", new double[]{c[0] + reinvest[0], c[1] + reinvest[1], c[2] + reinvest[2]}, new double[]{1.71, 1.71, 1.71}, 0.45, 0.52,
                parts(205_000, 12_600, 580_000, 0, 100, -100)));
        all.addAll(rows("C", c, new double[]{1.682, 1.679, 1.676}, 0.45, 0.52, parts(395_000, 12_600, 580_000, 0, 0, 0)));
        return all;
    }

    @Test
    void holmStepsDownAndStopsWhereTheFirstIsNotRejected() {
        List<Adjusted> h = HypothesisVerdicts.holm(new double[]{0.01, 0.04, 0.03}, 0.05);
        // ranked 0.01 (tested at 0.05/3, rejected), 0.03 (at 0.05/2: not rejected, the step-down stops), 0.04 (kept at 0.025)
        assertEquals(1, h.get(0).rank());
        assertTrue(h.get(0).rejected());
        assertEquals(0.05 / 3, h.get(0).alpha(), 1e-15);
        assertEquals(0.03, h.get(0).adjustedP(), 1e-15);
        assertEquals(2, h.get(2).rank());
        assertFalse(h.get(2).rejected());
        assertEquals(0.025, h.get(2).alpha(), 1e-15);
        assertEquals(0.06, h.get(2).adjustedP(), 1e-15);
        assertEquals(3, h.get(1).rank());
        assertFalse(h.get(1).rejected());
        assertEquals(0.025, h.get(1).alpha(), 1e-15);
        assertEquals(0.06, h.get(1).adjustedP(), 1e-15);
    }

    @Test
    void thePrimaryAndTheHolmAdjustedSecondariesGiveTheirWords() {
        // B - C = [0.030, 0.031, 0.032]: p ~ 1e-3, rank 1, tested at 0.025 and decided; the DiD (p 0.0494) then at 0.05: decided
        List<Verdict> v = HypothesisVerdicts.decide(DESIGN, measured(new double[]{0.030, 0.031, 0.032}), RULES);
        Verdict primary = v.get(0), bytes = v.get(1), reinvest = v.get(2), durable = v.get(3);

        assertEquals(Role.PRIMARY, primary.role());
        assertEquals(Word.HOLDS, primary.word(), primary.finding());
        assertEquals(0.021 - T2 * 0.001 / Math.sqrt(3), primary.interval().lower(), 1e-6);
        assertEquals(0.95, primary.confidence(), 1e-12);
        assertTrue(primary.finding().startsWith("holds: bpb(A) - bpb(C) = +0.0210 [+0.0185, +0.0235], n=3"), primary.finding());
        assertTrue(primary.evidence().get(3).contains("A +0.00100, B +0.00100, C +0.00100"), primary.evidence().get(3));

        assertEquals(Word.HOLDS, reinvest.word(), reinvest.finding());
        assertEquals(0.975, reinvest.confidence(), 1e-12);
        assertEquals(0.031 - T2_HOLM * 0.001 / Math.sqrt(3), reinvest.interval().lower(), 1e-6);
        assertEquals(0.031 + T2_HOLM * 0.001 / Math.sqrt(3), reinvest.interval().upper(), 1e-6);
        // gained 0.031 / 1.9 per 100 kB moved into the trunk; lost (B - A) 0.010 / 2.0 per 100 kB taken from the head
        assertTrue(reinvest.evidence().get(0).startsWith("exchange rate: +0.0163 ["), reinvest.evidence().get(0));
        assertTrue(reinvest.evidence().get(0).contains("against +0.0050 ["), reinvest.evidence().get(0));

        assertEquals(Word.HOLDS, durable.word(), durable.finding());
        assertEquals(0.95, durable.confidence(), 1e-12);
        assertEquals(0.0494, durable.pValue(), 1e-4);
        assertEquals(0, durable.interval().mean(), 1e-12);
        assertEquals(-T2 * 0.002 / Math.sqrt(3), durable.interval().lower(), 1e-6);
        assertEquals(T2 * 0.002 / Math.sqrt(3), durable.interval().upper(), 1e-6);
        // A: bpb x1.7/1.5 = tokens per byte x0.42/0.345 x nats per token x(1.7/0.42)/(1.5/0.345)
        assertTrue(durable.evidence().get(3).equals("A, val -> out of domain: bpb x1.133 [1.133, 1.133] = tokens per byte x1.217 [1.217, 1.217] "
                + "(tokenizer) x nats per token x0.931 [0.931, 0.931] (model)"), durable.evidence().get(3));

        assertEquals(Role.CALIBRATION, bytes.role());
        assertEquals(Word.HOLDS, bytes.word(), bytes.finding());
        assertEquals(200_000 / 210_000.0, bytes.interval().mean(), 1e-12);
        assertTrue(Double.isNaN(bytes.interval().lower()), "no seed interval on byte counts");
        assertTrue(bytes.evidence().get(0).equals("head (embedding / tied output): 195,000 measured against 205,000 predicted (x0.951)"),
                bytes.evidence().get(0));
    }

    @Test
    void whereTheStepDownStopsTheAdjustedIntervalIsWiderAndTheWordInconclusive() {
        // B - C = [0.010, 0.020, 0.030]: p large, rank 2; the DiD ranks first and is tested at 0.025: 0.0494 is not below it
        List<Verdict> v = HypothesisVerdicts.decide(DESIGN, measured(new double[]{0.010, 0.020, 0.030}), RULES);
        Verdict reinvest = v.get(2), durable = v.get(3);
        assertEquals(Word.INCONCLUSIVE, durable.word(), durable.finding());
        assertEquals(0.975, durable.confidence(), 1e-12);
        assertEquals(-T2_HOLM * 0.002 / Math.sqrt(3), durable.interval().lower(), 1e-6);
        assertEquals(2 * 0.0494, durable.pValue(), 2e-4);
        assertEquals(Word.INCONCLUSIVE, reinvest.word(), reinvest.finding());
        assertEquals(0.975, reinvest.confidence(), 1e-12);
        // unadjusted, the same DiD would hold: Bonferroni-free 95% lower bound -0.00497 > -0.005
        assertTrue(-T2 * 0.002 / Math.sqrt(3) > -0.005);
    }

    @Test
    void aRunStillLearningCannotHoldOrFail() {
        List<Measured> rows = new ArrayList<>(measured(new double[]{0.030, 0.031, 0.032}));
        rows.replaceAll(m -> m.candidate().equals("C") && m.seed() == 1338 ? new Measured("C", 1338, m.bpb(), m.bpbPre(), m.heldoutBpb(),
                m.tokensPerByte(), m.heldoutTokensPerByte(), m.bytes(), m.fill(), m.inBand(), true, 0.042) : m);
        List<Verdict> v = HypothesisVerdicts.decide(DESIGN, rows, RULES);
        for (int i : new int[]{0, 2, 3}) {
            assertEquals(Word.INCONCLUSIVE, v.get(i).word(), v.get(i).finding());
            assertTrue(v.get(i).finding().contains("still learning"), v.get(i).finding());
            assertTrue(v.get(i).evidence().stream().anyMatch(e -> e.startsWith("C seed 1338 was still learning (val bpb moved 0.0420")));
        }
        assertEquals(Word.HOLDS, v.get(1).word(), "bytes freed do not depend on training length");
    }

    @Test
    void aSavingFarBelowThePredictionFails() {
        Design optimistic = new Design("512/2048", "int8", 512, 2048, "A", "B", "C", 250_000, 5_000, SMALL, LARGE);
        assertEquals(Word.FAILS, HypothesisVerdicts.decide(optimistic, measured(new double[]{0.03, 0.03, 0.03}), RULES).get(1).word(),
                "200,000 < 0.9 x 250,000");
    }

    @Test
    void oneSeedDecidesNothing() {
        List<Measured> first = measured(new double[]{0.030, 0.031, 0.032}).stream().filter(m -> m.seed() == 1337).toList();
        List<Verdict> v = HypothesisVerdicts.decide(DESIGN, first, RULES);
        for (int i : new int[]{0, 2, 3}) {
            assertEquals(Word.INCONCLUSIVE, v.get(i).word(), v.get(i).number() + ": " + v.get(i).finding());
            assertEquals(1, v.get(i).interval().n());
        }
    }

    @Test
    void aMissingCandidateOrOutOfDomainSetIsSaid() {
        List<Measured> all = measured(new double[]{0.030, 0.031, 0.032});
        List<Measured> noC = all.stream().filter(m -> !m.candidate().equals("C")).toList();
        Verdict v = HypothesisVerdicts.decide(DESIGN, noC, RULES).get(0);
        assertEquals(Word.INCONCLUSIVE, v.word());
        assertTrue(v.finding().contains("not scored: C C"), v.finding());
        List<Measured> noHeldout = all.stream().map(m -> new Measured(m.candidate(), m.seed(), m.bpb(), m.bpbPre(), Double.NaN, m.tokensPerByte(),
                Double.NaN, m.bytes(), m.fill(), m.inBand(), false, 0)).toList();
        Verdict durable = HypothesisVerdicts.decide(DESIGN, noHeldout, RULES).get(3);
        assertEquals(Word.INCONCLUSIVE, durable.word());
        assertTrue(durable.finding().contains("set headroom.sweep.heldout"), durable.finding());
    }

    @Test
    void anArtifactOutsideTheBandIsFlaggedBesideTheComparison() {
        List<Measured> rows = new ArrayList<>(measured(new double[]{0.030, 0.031, 0.032}));
        rows.replaceAll(m -> m.candidate().equals("C") ? new Measured("C", m.seed(), m.bpb(), m.bpbPre(), m.heldoutBpb(), m.tokensPerByte(),
                m.heldoutTokensPerByte(), new Parts(0, 597_600, 2_000, 0, 400), 0.6, false, false, 0) : m);
        Verdict v = HypothesisVerdicts.decide(DESIGN, rows, RULES).get(2);
        assertTrue(v.evidence().contains("C's artifact fills 60.0% of the cap on file (mean): outside the fill band, so this comparison "
                + "is not at matched bytes"), v.evidence().toString());
        assertTrue(v.evidence().contains("A and C differ by 40.0% of the cap between them (mean fill on file)"), v.evidence().toString());
    }

    @Test
    void theTrajectoryPairsEachEvaluationStepBySeed() {
        Map<Long, NavigableMap<Long, Double>> a = Map.of(1L, new TreeMap<>(Map.of(0L, 8.0, 50L, 3.0)), 2L, new TreeMap<>(Map.of(0L, 8.0, 50L, 3.2)));
        Map<Long, NavigableMap<Long, Double>> c = Map.of(1L, new TreeMap<>(Map.of(0L, 8.0, 50L, 2.9)), 2L, new TreeMap<>(Map.of(0L, 8.0)));
        List<HypothesisVerdicts.Step> steps = HypothesisVerdicts.trajectory(a, c, 0.05);
        assertEquals(2, steps.size());
        assertEquals(0, steps.get(0).difference().mean(), 1e-12);
        assertEquals(2, steps.get(0).difference().n());
        assertEquals(0.1, steps.get(1).difference().mean(), 1e-12);
        assertEquals(1, steps.get(1).difference().n(), "seed 2 of C has no step 50");
    }

    @Test
    void studentTQuantiles() {
        assertEquals(12.7062, PairedInterval.t975(1), 1e-4);
        assertEquals(2.0423, PairedInterval.t975(30), 1e-4);
        assertEquals(2.0395, PairedInterval.t975(31), 2e-4);
        assertEquals(1.9840, PairedInterval.t975(100), 2e-4);
        for (int df : new int[]{1, 2, 5, 30}) assertEquals(PairedInterval.t975(df), PairedInterval.tQuantile(0.975, df), 1e-4, "df " + df);
        assertEquals(T2_HOLM, PairedInterval.tQuantile(0.9875, 2), 1e-4);
        assertEquals(0.5, PairedInterval.tCdf(0, 7), 1e-12);
    }
}
