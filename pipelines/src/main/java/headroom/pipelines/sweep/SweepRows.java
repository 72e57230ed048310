package headroom.pipelines.sweep;

/** The sweep's result tables, one record type per table (columns in snake_case). */
public final class SweepRows {

    private SweepRows() {
    }

    /** One vocabulary size: what its tokenizer costs and how long it makes sequences. Tokens exclude BOS. */
    public record VocabMetrics(
            int vocabSize,
            int merges,
            long lastMergeCount,          // tokens the last merge removed: how much the largest merges still buy
            long trainTokens,             // exact, from the trainer's merge counts
            long trainBytes,
            double trainTokensPerByte,
            double valTokensPerByte,      // measured by encoding val with the exported tokenizer.json through DJL
            double heldoutTokensPerByte,  // NaN when no out-of-domain set is configured
            long tokenizerBytes) {        // the compressed tokenizer asset: counted in the artifact
    }

    /** A pretrained tokenizer on the same text, for orientation. */
    public record ReferenceMetrics(String tokenizer, int vocabSize, double valTokensPerByte, double heldoutTokensPerByte) {
    }

    /** The budget model at one (vocabulary, head mode, width): what the head costs and what is left for the trunk. */
    public record BudgetRow(
            int vocabSize,
            String headMode,
            int headRank,
            int dModel,
            long headParameters,
            long headBytes,               // parameters x bytes per parameter (estimated until scoring measures it)
            long tokenizerBytes,
            long trunkBudgetBytes,        // cap - head - tokenizer - overhead - code
            double logitsFlopsPerByte,    // 2 V d tokens-per-byte
            double contextBytes) {        // bytes covered by context-tokens tokens
    }

    /** The widest model of the recipe that fits the cap for one (vocabulary, head mode). */
    public record Candidate(
            String name,
            int vocabSize,
            String headMode,
            int headRank,
            int dModel,
            int uniqueBlocks,
            int loops,
            long parameters,
            long headParameters,
            long trunkParameters,
            long estimatedBytes,
            long headroomBytes,
            double valTokensPerByte,
            double contextBytes,
            double logitsFlopsPerByte) {
    }

    /**
     * A candidate's predicted post-roundtrip bits per byte at the sweep's cap (docs/PREDICTOR.md), best first.
     * The interval is the law's 95% bootstrap interval; NaN when the basis is the prior, which no run measured.
     */
    public record CandidatePrediction(
            int rank,
            String candidate,
            int vocabSize,
            String headMode,
            int dModel,
            double predictedBpb,
            double predictedBpbLow,
            double predictedBpbHigh,
            String basis) {              // "prior" (Tao et al. 2024) or "fit" (a study's law.json)

        public CandidatePrediction withRank(int newRank) {
            return new CandidatePrediction(newRank, candidate, vocabSize, headMode, dModel, predictedBpb, predictedBpbLow, predictedBpbHigh, basis);
        }
    }
}
