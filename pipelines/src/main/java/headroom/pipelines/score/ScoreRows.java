package headroom.pipelines.score;

/** The score's result tables, one record type per table (columns in snake_case). */
public final class ScoreRows {

    private ScoreRows() {
    }

    /** One artifact (candidate x precision plan), scored after its round trip. Over the cap: {@code valid} false, never dropped. */
    public record LeaderboardRow(
            String candidate,
            String plan,                  // the precision plan's canonical spec
            String artifact,              // file name under artifacts/
            int vocabSize,
            String headMode,
            int dModel,
            int uniqueBlocks,
            int loops,
            long parameters,
            long embeddingHeadBytes,      // compressed bytes attributed to each part (docs/ARTIFACT.md); the parts sum to artifactBytes
            long trunkBytes,
            long normsBytes,
            long tokenizerBytes,
            long overheadBytes,
            long artifactBytes,           // the file size
            boolean valid,                // artifactBytes <= cap
            double bpbPre,                // the trained fp32 weights
            double bpbPost,               // the weights read back from the artifact: the score
            double gap,                   // bpbPost - bpbPre
            double heldoutBpb,            // post round trip; NaN without an out-of-domain set
            double tokensPerByte,         // val, BOS excluded
            double heldoutTokensPerByte,  // NaN without an out-of-domain set
            double predictedHeadBytes,    // the sweep's estimate: head parameters x its bytes per parameter
            String codec,
            double trainSeconds,          // from result.json; NaN when absent
            String device) {              // the training device, from result.json; "" when absent

        public String depth() {
            return uniqueBlocks + "x" + loops;
        }

        /** Bits per token on val: bpb / tokens per byte. */
        public double bitsPerToken() {
            return bpbPost / tokensPerByte;
        }
    }

    /** Evaluation-time refinement: the artifact's model run with L' loops. */
    public record RefinementRow(String candidate, String plan, int loops, boolean trained, double bpb) {
    }

    /** One of DESIGN.md's four falsification criteria and its verdict, for tables (the reports carry the evidence). */
    public record VerdictRow(int number, String criterion, String verdict, String finding, String settle) {
        static VerdictRow of(HypothesisVerdicts.Verdict v) {
            return new VerdictRow(v.number(), v.criterion(), v.status().name().replace('_', ' '), v.finding(), v.settle());
        }
    }
}
