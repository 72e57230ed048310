package headroom.pipelines.study;

/** The study's result tables, one record type per table (columns in snake_case). */
public final class StudyRows {

    private StudyRows() {
    }

    /** One scored run of the design, with the law's inputs and the fitted law's prediction. */
    public record RunRow(
            String run,
            long capBytes,
            String candidate,
            long seed,
            int vocabSize,
            String headMode,
            int dModel,
            double nonVocabParameters,
            double vocabParameters,
            double tokensPerByte,        // val, measured while scoring
            double trainingTokens,       // from the trainer's result.json
            long artifactBytes,
            double bpb,                  // post-roundtrip, the score
            double fittedBpb) {          // the law fitted to every run
    }

    /** One leave-one-cap-out fold. */
    public record FoldRow(long heldOutCap, int candidates, int trainingRuns, double spearman, double meanAbsoluteError, String skipped) {
    }

    /** One held-out candidate of a fold: its seeds' mean against the law fitted without its cap. */
    public record HeldOutRow(long heldOutCap, String candidate, int vocabSize, int seeds, double measuredBpb, double predictedBpb) {
    }
}
