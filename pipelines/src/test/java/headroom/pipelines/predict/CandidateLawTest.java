package headroom.pipelines.predict;

import headroom.eval.predict.FittedLaw;
import headroom.eval.predict.VocabLaw;
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
    private static final Candidate SMALL_V = new Candidate("v512-tied-d256-2x2", 512, "tied", 0, 256, 2, 2, 1_000_000, 131_072, 860_000,
            990_000, 10_000, 0.42, 300, 1.0);
    private static final Candidate LARGE_V = new Candidate("v8192-tied-d64-2x2", 8192, "tied", 0, 64, 2, 2, 600_000, 524_288, 70_000,
            600_000, 400_000, 0.27, 470, 1.0);

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
        assertTrue(prior.get(0).predictedBpb() <= prior.get(1).predictedBpb());
        assertEquals("prior", prior.get(0).basis());
        assertTrue(Double.isNaN(prior.get(0).predictedBpbLow()), "the prior has no interval");

        VocabLaw law = new VocabLaw(1.2, 0.6, 0.35, 0.08, 0.55, 0.02, 0.35);
        FittedLaw fit = new FittedLaw("fit", law, List.of(law, new VocabLaw(1.1, 0.6, 0.35, 0.08, 0.55, 0.02, 0.35),
                new VocabLaw(1.3, 0.6, 0.35, 0.08, 0.55, 0.02, 0.35)), 24, 12, "c", "t", 0.01, 0.002, 1, 0);
        CandidatePrediction best = CandidateLaw.rank(List.of(LARGE_V, SMALL_V), fit, 1e7).get(0);
        assertEquals("fit", best.basis());
        assertTrue(best.predictedBpbLow() < best.predictedBpb() && best.predictedBpb() < best.predictedBpbHigh(), best.toString());
    }

    @Test
    void theTrainingTokensAreWhatTheTrainConfPlans() {
        assertEquals(2000.0 * 16 * 256, CandidateLaw.plannedTrainingTokens(
                headroom.pipelines.train.TrainConf.from(Headroom.conf(null)).train()));
        assertEquals(100_000.0, CandidateLaw.plannedTrainingTokens(
                headroom.pipelines.train.TrainConf.from(Headroom.conf(null, "train.max-tokens=100000")).train()));
    }
}
