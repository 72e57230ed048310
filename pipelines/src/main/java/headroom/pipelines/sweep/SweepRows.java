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
            long headBytes,               // parameters x bytes per parameter of the sizing plan (estimated until scoring measures it)
            long tokenizerBytes,
            long trunkBudgetBytes,        // cap - head - tokenizer - overhead - code
            double logitsFlopsPerByte,    // 2 V d train tokens-per-byte
            int seqLen) {                 // T: model.context-bytes x train tokens per byte (or model.seq-len)
    }

    /**
     * A model that fills the cap for one (vocabulary, head mode) under the sizing plan, or one cell of a
     * hypothesis design (role A, B or C of a vocabulary pair). {@code fills}: the estimate lands in the
     * band below the cap; otherwise {@code note} says why (B leaves bytes unspent by design). A row with
     * {@code dModel} 0 has no model at all (its head alone is over the cap, say).
     */
    public record Candidate(
            String name,                  // v512-tied-d256-2x2-m2: vocabulary, head, width, unique blocks x loops, MLP multiple
            String role,                  // "" for the per-vocabulary fill; A, B or C in a hypothesis design
            String pair,                  // "512/2048" for a design row, else ""
            int vocabSize,
            String headMode,
            int headRank,
            int dModel,
            int uniqueBlocks,
            int loops,
            int mlpMult,
            String plan,                  // the precision plan the estimate is priced under
            long parameters,
            long headParameters,
            long trunkParameters,
            long estimatedBytes,
            double fill,                  // estimatedBytes / cap
            boolean fills,                // estimatedBytes within the fill band below the cap
            String note,                  // why it does not fill, or the design's remark; "" otherwise
            long headroomBytes,           // cap - estimatedBytes
            double trainTokensPerByte,    // exact, from the merge counts: what T and the byte budget are computed from
            double valTokensPerByte,
            int seqLen,                   // T, tokens per training and evaluation window
            double contextBytes,          // bytes T covers: T / train tokens per byte
            double logitsFlopsPerByte) {  // 2 V d val tokens-per-byte
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
