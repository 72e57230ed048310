package headroom.pipelines.predict;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import headroom.scoring.predict.LawInput;
import headroom.scoring.predict.ScoredRun;
import headroom.scoring.ScoreRows.LeaderboardRow;
import headroom.pipelines.score.TrainedModel;
import headroom.pipelines.sweep.SweepRows.Candidate;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The adapter from a run directory's scored rows to the law's input records (docs/PREDICTOR.md): what
 * the law needs from a scored model, all measured, nothing re-derived. The one place to change when the
 * rows change (issue 9's per-seed rows and bytes-matched budgets).
 */
public final class ScoredRuns {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ScoredRuns() {
    }

    /**
     * One scored run: the candidate's non-embedding and embedding/head parameters, the val tokens per byte
     * measured while scoring, the tokens its trainer reports, and its post-roundtrip bits per byte. {@code label} names the
     * candidate with its training budget: the seeds of one label at one cap are averaged into one validation point.
     */
    public static ScoredRun of(String runId, String corpus, String tokenizer, long capBytes, Candidate candidate, String label, long seed,
                               LeaderboardRow row, double trainedTokens) {
        if (row.vocabSize() != candidate.vocabSize() || row.dModel() != candidate.dModel()) {
            throw new IllegalStateException("run " + runId + ": the scored model (V " + row.vocabSize() + ", d " + row.dModel()
                    + ") is not candidate " + candidate.name());
        }
        LawInput in = new LawInput(candidate.parameters() - candidate.headParameters(), candidate.headParameters(),
                row.tokensPerByte(), trainedTokens);
        return new ScoredRun(runId, corpus, tokenizer, capBytes, label, seed, candidate.vocabSize(), in, row.bpbPost());
    }

    /** The training tokens a model's {@code result.json} reports (TrainReport: result.tokens). */
    public static double trainedTokens(Path modelDir) throws IOException {
        JsonNode tokens = JSON.readTree(modelDir.resolve(TrainedModel.RESULT_FILE).toFile()).path("result").path("tokens");
        if (!tokens.isNumber() || tokens.asDouble() <= 0) {
            throw new IllegalStateException(modelDir.resolve(TrainedModel.RESULT_FILE) + " reports no training tokens (result.tokens): re-train the run");
        }
        return tokens.asDouble();
    }
}
