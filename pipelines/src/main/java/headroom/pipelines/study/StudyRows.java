package headroom.pipelines.study;

import headroom.scoring.predict.HeldOutCaps;

/** The study's result tables, one record type per table (columns in snake_case). */
public final class StudyRows {

    private StudyRows() {
    }

    /** One scored run of the design, with the law's inputs and the fitted law's prediction. */
    public record RunRow(
            String run,
            long capBytes,
            String candidate,            // with its training budget: v512-tied-d96-2x2-m4-b700000
            long budget,                 // in train.budget.protocol's unit
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
            double fittedBpb,            // the law fitted to every run
            double tailMoveBpb,          // val bpb at the start of the last 10% of steps - at the end (train.convergence); NaN when absent
            boolean stillLearning) {     // the tail moved more than train.convergence allows: the run is not converged
    }

    /**
     * One validation fold (forward or leave-one-cap-out): the law's pairwise order accuracy over the held-out cap's
     * candidate pairs, its Spearman (NaN under 5 points) and MAE, beside the two guesses that fit nothing.
     */
    public record FoldRow(String kind, long heldOutCap, int candidates, int trainingRuns, int pairs, double orderAccuracy,
                          double orderAccuracyLargerV, double orderAccuracyMeanOverCaps, double spearman, double spearmanLargerV,
                          double spearmanMeanOverCaps, double meanAbsoluteError, double meanAbsoluteErrorMeanOverCaps, boolean meetsGoal,
                          String shortfalls, String skipped) {
        static FoldRow of(HeldOutCaps.Fold f) {
            return new FoldRow(f.kind(), f.heldOutCap(), f.points().size(), f.trainingRuns(), f.law().pairs(), f.law().orderAccuracy(),
                    f.largerV().orderAccuracy(), f.meanOverCaps().orderAccuracy(), f.law().spearman(), f.largerV().spearman(),
                    f.meanOverCaps().spearman(), f.law().meanAbsoluteError(), f.meanOverCaps().meanAbsoluteError(), f.meetsGoal(),
                    String.join("; ", f.shortfalls()), f.skipped());
        }
    }

    /** One held-out candidate of a fold: its seeds' mean against the law fitted without its cap, and each V's mean over the fold's other caps. */
    public record HeldOutRow(String kind, long heldOutCap, String candidate, int vocabSize, int seeds, double measuredBpb, double predictedBpb,
                             double meanOverCapsBpb) {
    }
}
