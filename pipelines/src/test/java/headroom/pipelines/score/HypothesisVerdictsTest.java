package headroom.pipelines.score;

import headroom.pipelines.score.HypothesisVerdicts.Status;
import headroom.pipelines.score.HypothesisVerdicts.Verdict;
import headroom.pipelines.score.ScoreRows.LeaderboardRow;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HypothesisVerdictsTest {

    private static final String PLAN = "emb=int8,attn=int8,mlp=int8,norm=fp16";

    /** A scored artifact with only the numbers the verdicts read; parts other than head and trunk go to overhead. */
    static LeaderboardRow row(String name, int vocab, int d, long bytes, boolean valid, long trunk, long head, double predictedHead,
                              double bpb, double tokensPerByte, double heldoutBpb, double heldoutTokensPerByte) {
        return new LeaderboardRow(name, PLAN, name + ".hra", vocab, "tied", d, 2, 2, 0, head, trunk, 0, 0, bytes - head - trunk, bytes,
                valid, bpb - 0.01, bpb, 0.01, heldoutBpb, tokensPerByte, heldoutTokensPerByte, predictedHead, "xz", Double.NaN, "");
    }

    // v512: 1,000,000 bytes, 700k trunk, bpb 1.20 at 0.40 tokens/byte (3.0 bits/token)
    static final LeaderboardRow SMALL = row("v512-tied-d96-2x2", 512, 96, 1_000_000, true, 700_000, 200_000, 210_000, 1.20, 0.40, 1.40, 0.46);
    // v1024: 1,050,000 bytes (5% more: matched), 500k trunk, bpb 1.25 at 0.33 tokens/byte (3.788 bits/token)
    static final LeaderboardRow LARGE = row("v1024-tied-d64-2x2", 1024, 64, 1_050_000, true, 500_000, 450_000, 420_000, 1.25, 0.33, 1.38, 0.40);

    private static Verdict verdict(int number, LeaderboardRow... rows) {
        return HypothesisVerdicts.decide(List.of(rows)).get(number - 1);
    }

    @Test
    void oneArtifactDecidesNothingAndSaysWhichRunWould() {
        List<Verdict> verdicts = HypothesisVerdicts.decide(List.of(SMALL));
        for (Verdict v : verdicts) {
            assertEquals(Status.NOT_ENOUGH_DATA, v.status(), "criterion " + v.number());
            assertTrue(!v.settle().isEmpty(), "criterion " + v.number() + " names the run that would settle it");
        }
        assertTrue(verdicts.get(0).settle().contains("within 10%"), verdicts.get(0).settle());
        assertTrue(verdicts.get(1).evidence().get(0).contains("head 200,000 bytes measured, 210,000 predicted (x0.952)"), verdicts.get(1).evidence().toString());
    }

    @Test
    void sequenceLengthCostIsTheTokensPerByteRatioAgainstTheBitsPerTokenRatio() {
        Verdict v = verdict(1, SMALL, LARGE);
        assertEquals(Status.SUPPORTED, v.status());
        // r = 0.40 / 0.33 = 1.212; q = 3.0 / 3.788 = 0.792; r q = 1.20 / 1.25 = 0.960
        assertTrue(v.evidence().get(0).contains("sequences x1.212 longer"), v.evidence().toString());
        assertTrue(v.evidence().get(0).contains("bits per token x0.792"), v.evidence().toString());
        assertTrue(v.evidence().get(0).contains("(x0.960)"), v.evidence().toString());

        LeaderboardRow worse = row("v512-tied-d96-2x2", 512, 96, 1_000_000, true, 700_000, 200_000, 210_000, 1.30, 0.40, 1.40, 0.46);
        assertEquals(Status.REFUTED, verdict(1, worse, LARGE).status(), "bpb 1.30 vs 1.25: the longer sequences erase the gain");
    }

    @Test
    void unmatchedOrOverCapArtifactsAreNotComparedAtMatchedSize() {
        LeaderboardRow bigger = row("v1024-tied-d80-2x2", 1024, 80, 1_200_000, true, 650_000, 450_000, 420_000, 1.25, 0.33, 1.38, 0.40);
        assertEquals(Status.NOT_ENOUGH_DATA, verdict(1, SMALL, bigger).status(), "200,000 bytes apart is more than 10% of 1,200,000");
        assertEquals(Status.NOT_ENOUGH_DATA, verdict(3, SMALL, bigger).status());
        LeaderboardRow overCap = row("v1024-tied-d64-2x2", 1024, 64, 1_050_000, false, 500_000, 450_000, 420_000, 1.25, 0.33, 1.38, 0.40);
        assertEquals(Status.NOT_ENOUGH_DATA, verdict(1, SMALL, overCap).status(), "an invalid artifact is never a matched competitor");
    }

    @Test
    void headSavingIsMeasuredAgainstPredictedWithoutSizeMatching() {
        // saved 450,000 - 200,000 = 250,000 measured against 420,000 - 210,000 = 210,000 predicted
        Verdict v = verdict(2, SMALL, LARGE);
        assertEquals(Status.SUPPORTED, v.status());
        assertTrue(v.evidence().get(2).contains("saved 250,000 head bytes measured, 210,000 predicted (x1.190)"), v.evidence().toString());
        LeaderboardRow cheapHead = row("v1024-tied-d64-2x2", 1024, 64, 1_300_000, true, 500_000, 350_000, 420_000, 1.25, 0.33, 1.38, 0.40);
        // saved 150,000 < 0.9 x 210,000 = 189,000
        assertEquals(Status.REFUTED, verdict(2, SMALL, cheapHead).status());
    }

    @Test
    void widerTrunkNeedsTheSmallerVocabularyToSpendMoreOnTheTrunkAndWin() {
        assertEquals(Status.SUPPORTED, verdict(3, SMALL, LARGE).status());
        LeaderboardRow narrow = row("v512-tied-d48-2x2", 512, 48, 1_000_000, true, 400_000, 200_000, 210_000, 1.20, 0.40, 1.40, 0.46);
        assertEquals(Status.NOT_ENOUGH_DATA, verdict(3, narrow, LARGE).status(), "400k < 500k trunk bytes: no bytes were reinvested");
        LeaderboardRow loses = row("v512-tied-d96-2x2", 512, 96, 1_000_000, true, 700_000, 200_000, 210_000, 1.25, 0.40, 1.40, 0.46);
        assertEquals(Status.REFUTED, verdict(3, loses, LARGE).status(), "a tie is no gain");
    }

    @Test
    void outOfDomainDecidesWhetherTheValGainIsDurable() {
        // val gain 1.25 - 1.20 = 0.05; out of domain 1.38 - 1.40 = -0.02: the gain vanishes
        Verdict v = verdict(4, SMALL, LARGE);
        assertEquals(Status.REFUTED, v.status());
        assertTrue(v.evidence().get(0).contains("tokens/byte 0.4000 val -> 0.4600 out-of-domain (+15.0%)"), v.evidence().toString());
        assertTrue(v.evidence().get(2).contains("gain 0.0500 bpb on val, -0.0200 out-of-domain"), v.evidence().toString());
        LeaderboardRow durable = row("v512-tied-d96-2x2", 512, 96, 1_000_000, true, 700_000, 200_000, 210_000, 1.20, 0.40, 1.30, 0.46);
        assertEquals(Status.SUPPORTED, verdict(4, durable, LARGE).status());
        LeaderboardRow noHeldout = row("v512-tied-d96-2x2", 512, 96, 1_000_000, true, 700_000, 200_000, 210_000, 1.20, 0.40, Double.NaN, Double.NaN);
        Verdict none = verdict(4, noHeldout);
        assertEquals(Status.NOT_ENOUGH_DATA, none.status());
        assertTrue(none.settle().contains("headroom.sweep.heldout"), none.settle());
    }
}
