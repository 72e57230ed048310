package headroom.scoring;

import headroom.scoring.HypothesisVerdicts.Design;
import headroom.scoring.HypothesisVerdicts.Measured;
import headroom.scoring.HypothesisVerdicts.Rules;
import headroom.scoring.HypothesisVerdicts.Tokenizer;
import headroom.scoring.HypothesisVerdicts.Verdict;
import headroom.scoring.HypothesisVerdicts.Word;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hand-made per-seed results with known intervals: each criterion's word follows from them, all three words included. */
class HypothesisVerdictsTest {

    private static final Rules RULES = new Rules(0.005, 0.10);
    private static final Tokenizer SMALL = new Tokenizer(0.44, 0.45, 0.52);
    private static final Tokenizer LARGE = new Tokenizer(0.33, 0.345, 0.42);
    private static final Design DESIGN = new Design("512/2048", 512, 2048, "A", "B", "C", 210_000, SMALL, LARGE);

    private static List<Measured> rows(String candidate, double[] bpb, double[] heldout, long[] bytes) {
        List<Measured> out = new ArrayList<>();
        for (int s = 0; s < bpb.length; s++) {
            out.add(new Measured(candidate, 1337 + s, bpb[s], heldout[s], bytes[s], bytes[s] / 1_000_000.0, bytes[s] >= 980_000));
        }
        return out;
    }

    /**
     * A - C = [0.020, 0.021, 0.022]: mean 0.021, sd 0.001, t(2) = 4.3027, so [0.01852, 0.02348]: above +0.005, holds.
     * B - C = [0.010, 0.020, 0.030]: mean 0.020, sd 0.010, so [-0.00484, 0.04484]: inconclusive.
     * Out of domain A - C = [-0.020, -0.021, -0.022]: below -0.005, fails.
     * Bytes freed A - B = [200,000, 199,900, 200,100] against 210,000 predicted: above 0.9 x 210,000, holds.
     */
    private static List<Measured> measured() {
        List<Measured> all = new ArrayList<>();
        all.addAll(rows("A", new double[]{1.500, 1.500, 1.500}, new double[]{1.700, 1.700, 1.700}, new long[]{1_000_000, 1_000_000, 1_000_000}));
        all.addAll(rows("B", new double[]{1.490, 1.499, 1.508}, new double[]{1.710, 1.711, 1.712}, new long[]{800_000, 800_100, 799_900}));
        all.addAll(rows("C", new double[]{1.480, 1.479, 1.478}, new double[]{1.720, 1.721, 1.722}, new long[]{990_000, 990_000, 990_000}));
        return all;
    }

    @Test
    void theKnownIntervalsGiveEachWord() {
        List<Verdict> v = HypothesisVerdicts.decide(DESIGN, measured(), RULES);
        Verdict sequence = v.get(0), bytes = v.get(1), reinvest = v.get(2), durable = v.get(3);

        assertEquals(Word.HOLDS, sequence.word(), sequence.finding());
        assertEquals(0.021, sequence.interval().mean(), 1e-12);
        assertEquals(0.021 - 4.3027 * 0.001 / Math.sqrt(3), sequence.interval().lower(), 1e-9);
        assertEquals(0.021 + 4.3027 * 0.001 / Math.sqrt(3), sequence.interval().upper(), 1e-9);
        assertTrue(sequence.finding().startsWith("holds: bpb(A) - bpb(C) = +0.0210 [+0.0185, +0.0235], n=3"), sequence.finding());
        assertTrue(sequence.evidence().get(0).startsWith("tokenizer cost bpb(B) - bpb(A) = -0.0010 [-0.0234, +0.0214], n=3"),
                sequence.evidence().get(0));

        assertEquals(Word.INCONCLUSIVE, reinvest.word(), reinvest.finding());
        assertEquals(-0.00484, reinvest.interval().lower(), 1e-5);
        assertEquals(0.04484, reinvest.interval().upper(), 1e-5);

        assertEquals(Word.FAILS, durable.word(), durable.finding());
        assertEquals(-0.021, durable.interval().mean(), 1e-12);
        assertTrue(durable.evidence().get(2).contains("V=512: train 0.4400 -> val 0.4500 (+2.3%) -> out of domain 0.5200 (+15.6%)"),
                durable.evidence().get(2));

        assertEquals(Word.HOLDS, bytes.word(), bytes.finding());
        assertEquals(200_000, bytes.interval().mean(), 1e-6);
        assertTrue(bytes.finding().contains("against 210,000 predicted (x0.952); holds from 189,000 (90%)"), bytes.finding());
    }

    @Test
    void aSavingFarBelowThePredictionFails() {
        Design optimistic = new Design("512/2048", 512, 2048, "A", "B", "C", 250_000, SMALL, LARGE);
        assertEquals(Word.FAILS, HypothesisVerdicts.decide(optimistic, measured(), RULES).get(1).word(), "200,000 < 0.9 x 250,000");
    }

    @Test
    void oneSeedDecidesNothing() {
        List<Measured> first = measured().stream().filter(m -> m.seed() == 1337).toList();
        for (Verdict v : HypothesisVerdicts.decide(DESIGN, first, RULES)) {
            assertEquals(Word.INCONCLUSIVE, v.word(), v.number() + ": " + v.finding());
            assertEquals(1, v.interval().n());
        }
    }

    @Test
    void aMissingCandidateOrOutOfDomainSetIsSaid() {
        List<Measured> noC = measured().stream().filter(m -> !m.candidate().equals("C")).toList();
        Verdict v = HypothesisVerdicts.decide(DESIGN, noC, RULES).get(0);
        assertEquals(Word.INCONCLUSIVE, v.word());
        assertTrue(v.finding().contains("not scored: C C"), v.finding());
        List<Measured> noHeldout = measured().stream().map(m -> new Measured(m.candidate(), m.seed(), m.bpb(), Double.NaN, m.artifactBytes(),
                m.fill(), m.inBand())).toList();
        Verdict durable = HypothesisVerdicts.decide(DESIGN, noHeldout, RULES).get(3);
        assertEquals(Word.INCONCLUSIVE, durable.word());
        assertTrue(durable.finding().contains("set headroom.sweep.heldout"), durable.finding());
    }

    @Test
    void anArtifactOutsideTheBandIsFlaggedBesideTheComparison() {
        List<Measured> rows = new ArrayList<>(measured());
        rows.replaceAll(m -> m.candidate().equals("C") ? new Measured("C", m.seed(), m.bpb(), m.heldoutBpb(), 600_000, 0.6, false) : m);
        Verdict v = HypothesisVerdicts.decide(DESIGN, rows, RULES).get(2);
        assertTrue(v.evidence().contains("C's artifact fills 60.0% of the cap on file (mean): outside the fill band, so this comparison "
                + "is not at matched bytes"), v.evidence().toString());
        assertTrue(v.evidence().contains("A and C differ by 40.0% of the cap between them (mean fill on file)"), v.evidence().toString());
    }

    @Test
    void studentTQuantiles() {
        assertEquals(12.7062, PairedInterval.t975(1), 1e-4);
        assertEquals(2.0423, PairedInterval.t975(30), 1e-4);
        assertEquals(2.0395, PairedInterval.t975(31), 2e-4);
        assertEquals(1.9840, PairedInterval.t975(100), 2e-4);
    }
}
