package headroom.pipelines.predict;

import headroom.scoring.predict.FittedLaw;
import headroom.scoring.predict.VocabLaw;
import headroom.pipelines.Headroom;
import headroom.pipelines.sweep.SweepRows.Candidate;
import headroom.pipelines.sweep.SweepRows.CandidatePrediction;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The adapter from sweep candidates to the law, without Spark. */
class CandidateLawTest {

    // a 1 MB cap: a small vocabulary with a wide trunk, a large one whose head eats the bytes
    private static final Candidate SMALL_V = new Candidate("v512-tied-d256-2x2-m2", "", "", 512, "tied", 0, 256, 2, 2, 2, "emb=int8",
            1_000_000, 131_072, 860_000, 990_000, 0.99, true, "", 10_000, 0.42, 0.42, 430, 1024, 1.0);
    private static final Candidate LARGE_V = new Candidate("v8192-tied-d64-2x2-m2", "", "", 8192, "tied", 0, 64, 2, 2, 2, "emb=int8",
            600_000, 524_288, 70_000, 600_000, 0.6, false, "", 400_000, 0.27, 0.27, 276, 1024, 1.0);

    @Test
    void theInputsAreTheCandidatesNonEmbeddingAndHeadParameters() {
        var in = CandidateLaw.input(SMALL_V, 1e7);
        assertEquals(1_000_000 - 131_072, in.nonVocabParameters());
        assertEquals(131_072, in.vocabParameters());
        assertEquals(0.42, in.tokensPerByte());
    }

    @Test
    void candidatesAreRankedBestFirstWithTheBasisNamed() {
        List<CandidatePrediction> prior = CandidateLaw.rank(List.of(LARGE_V, SMALL_V), FittedLaw.prior(), 1e7);
        assertEquals(List.of(1, 2), prior.stream().map(CandidatePrediction::rank).toList());
        // the prior ranks as its law orders them, and prints no bits per byte: they are not a forecast
        FittedLaw p = FittedLaw.prior();
        boolean largeFirst = p.predict(CandidateLaw.input(LARGE_V, 1e7)).bpb() < p.predict(CandidateLaw.input(SMALL_V, 1e7)).bpb();
        assertEquals(largeFirst ? LARGE_V.name() : SMALL_V.name(), prior.get(0).candidate());
        for (CandidatePrediction r : prior) {
            assertTrue(Double.isNaN(r.predictedBpb()) && Double.isNaN(r.predictedBpbLow()), "no bpb from the uncalibrated prior: " + r);
            assertEquals("prior, not calibrated", r.basis());
        }

        VocabLaw law = new VocabLaw(1.2, 0.6, 0.35, 0.08, 0.55, 0.02, 0.35);
        FittedLaw fit = new FittedLaw("fit", law, List.of(law, new VocabLaw(1.1, 0.6, 0.35, 0.08, 0.55, 0.02, 0.35),
                new VocabLaw(1.3, 0.6, 0.35, 0.08, 0.55, 0.02, 0.35)), 24, 12, "c", "t", 0.01, 0.002, 1, 0);
        CandidatePrediction best = CandidateLaw.rank(List.of(LARGE_V, SMALL_V), fit, 1e7).get(0);
        assertEquals("fit", best.basis());
        assertTrue(best.predictedBpbLow() < best.predictedBpb() && best.predictedBpb() < best.predictedBpbHigh(), best.toString());
        // the same fit, not calibrated on the corpus at hand (fitted to another): the same order, no numbers
        List<CandidatePrediction> elsewhere = CandidateLaw.rank(List.of(LARGE_V, SMALL_V), fit, c -> 1e7, false);
        assertEquals(best.candidate(), elsewhere.get(0).candidate());
        assertTrue(Double.isNaN(elsewhere.get(0).predictedBpb()), elsewhere.toString());
    }

    @Test
    void theTrainingTokensAreWhatTheBudgetBuysEachCandidate() {
        var recipe = headroom.pipelines.sweep.RecipeConf.from(Headroom.conf(null, "model.loops=2", "model.head-size=32", "model.queries-per-kv-head=1"));
        var bytes = headroom.pipelines.train.TrainConf.from(Headroom.conf(null, "train.budget.protocol=bytes", "train.budget.bytes=1000000"));
        // the bytes protocol: the same text, so a vocabulary with more tokens per byte trains on more tokens (steps rounded up)
        double small = CandidateLaw.plannedTrainingTokens(bytes, SMALL_V, recipe);
        double large = CandidateLaw.plannedTrainingTokens(bytes, LARGE_V, recipe);
        assertTrue(Math.abs(small - 420_000) <= 16 * 430 && Math.abs(large - 270_000) <= 16 * 276, small + " " + large);
        var tokens = headroom.pipelines.train.TrainConf.from(Headroom.conf(null, "train.budget.protocol=tokens", "train.budget.tokens=100000"));
        assertEquals(100_000.0, CandidateLaw.plannedTrainingTokens(tokens, SMALL_V, recipe));
        assertEquals(100_000.0, CandidateLaw.plannedTrainingTokens(tokens, LARGE_V, recipe));
    }
}
