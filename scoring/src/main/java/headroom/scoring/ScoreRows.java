package headroom.scoring;

import java.io.Serializable;

/** The score's result tables, one record type per table (columns in snake_case); serializable, as a Spark task returns them. */
public final class ScoreRows {

    private ScoreRows() {
    }

    /** One artifact (trained model x precision plan), scored after its round trip. Over the cap: {@code valid} false, never dropped. */
    public record LeaderboardRow(
            String model,                 // the folder under models/: <candidate>-s<seed>
            String candidate,             // the sweep's candidate; rows of one candidate differ by seed
            long seed,                    // -1 for a model trained by hand
            String plan,                  // the precision plan's canonical spec
            String artifact,              // file name under artifacts/
            int vocabSize,
            String headMode,
            int dModel,
            int uniqueBlocks,
            int loops,
            int mlpMult,
            long parameters,
            long embeddingHeadBytes,      // compressed bytes attributed to each part (docs/ARTIFACT.md); the parts sum to artifactBytes
            long trunkBytes,
            long normsBytes,
            long tokenizerBytes,
            long overheadBytes,
            long artifactBytes,           // the file size
            boolean valid,                // artifactBytes <= cap
            double fill,                  // artifactBytes / cap, measured on the file
            boolean sizingPlan,           // this is the plan the sweep sized the candidate under
            long estimatedBytes,          // the sweep's estimate under the sizing plan (0 for a model trained by hand)
            boolean inBand,               // under the sizing plan: the file lands within the fill band below the cap
            boolean meantToFill,          // the sweep's estimate filled the cap (false for B and for candidates that cannot fill)
            double bpbPre,                // the trained fp32 weights
            double bpbPost,               // the weights read back from the artifact: the score
            double gap,                   // bpbPost - bpbPre
            double heldoutBpb,            // post round trip; NaN without an out-of-domain set
            double tokensPerByte,         // val, BOS excluded
            double heldoutTokensPerByte,  // NaN without an out-of-domain set
            double predictedHeadBytes,    // the sweep's estimate: head parameters x its bytes per parameter
            String protocol,              // the training budget: "bytes 4000000", ...; "" for a model trained by hand
            String context,               // bytes (T from context bytes) or tokens
            int seqLen,                   // T: training and evaluation window
            double contextBytes,          // bytes T covers at the train split's tokens per byte
            long trainBytesSeen,          // training text bytes the model saw
            String codec,
            double trainSeconds,          // from result.json; NaN when absent
            String device,                // the training device, from result.json; "" when absent
            double ngramMargin,           // the byte n-gram floor's val bpb - bpbPost (> 0: the model is below the floor); NaN without the floor
            double heldoutNgramMargin,    // the same on the out-of-domain set; NaN without it
            double tailMoveBpb,           // val bpb at the start of the last 10% of training steps - at the end; NaN when absent
            boolean stillLearning,        // |tailMoveBpb| over headroom.train.convergence.max-tail-move-bpb: its comparisons measure optimisation speed
            double lr)                    // the peak learning rate trained with (the pilot's choice, or headroom.train.lr); NaN when absent
            implements Serializable {

        /** The first word of {@link #protocol}: "bytes", "flops", ...; "" for a model trained by hand. */
        public String protocolName() {
            int space = protocol.indexOf(' ');
            return space < 0 ? protocol : protocol.substring(0, space);
        }

        public String depth() {
            return uniqueBlocks + "x" + loops;
        }

        /** This row with its margins over the n-gram floor's val and out-of-domain bpb (NaN where there is none). */
        public LeaderboardRow withNgramMargins(double floorBpb, double floorHeldoutBpb) {
            return new LeaderboardRow(model, candidate, seed, plan, artifact, vocabSize, headMode, dModel, uniqueBlocks, loops, mlpMult, parameters,
                    embeddingHeadBytes, trunkBytes, normsBytes, tokenizerBytes, overheadBytes, artifactBytes, valid, fill, sizingPlan, estimatedBytes,
                    inBand, meantToFill, bpbPre, bpbPost, gap, heldoutBpb, tokensPerByte, heldoutTokensPerByte, predictedHeadBytes, protocol, context,
                    seqLen, contextBytes, trainBytesSeen, codec, trainSeconds, device, floorBpb - bpbPost, floorHeldoutBpb - heldoutBpb, tailMoveBpb,
                    stillLearning, lr);
        }
    }

    /** One candidate under one plan over its seeds: what the leaderboard shows as mean, standard deviation and n. */
    public record CandidateSummaryRow(
            String candidate,
            String plan,
            int n,                        // seeds scored
            double bpbPostMean,
            double bpbPostStd,            // sample standard deviation over seeds; NaN when n = 1
            double heldoutBpbMean,
            double heldoutBpbStd,
            double artifactBytesMean,
            double fillMean,
            boolean allValid,
            int seqLen,
            String protocol) {
    }

    /** Evaluation-time refinement: the artifact's model run with L' loops. */
    public record RefinementRow(String model, String candidate, long seed, String plan, int loops, boolean trained, double bpb)
            implements Serializable {
    }

    /**
     * One criterion of DESIGN.md's decomposition for one vocabulary pair: the seed-paired difference it
     * is decided on (mean and 95% interval over n seeds), the word and a one-line finding.
     */
    public record VerdictRow(String pair, int number, String criterion, String verdict, String measure, double mean, double lower,
                             double upper, int n, String finding,
                             String plan,          // the precision plan the design's candidates were sized and compared under
                             String role,          // primary, calibration or secondary
                             double confidence,    // the interval's level: 0.95 for the primary, Holm's adjusted level for a secondary
                             double pValue,        // Holm-adjusted for a secondary; NaN for the calibration
                             double pairedStd,     // standard deviation of the per-seed differences
                             double unpairedStd,   // sqrt(var x + var y): what the spread would be without pairing by seed
                             String adjustment) {  // "none (primary)", "Holm", or the calibration's tolerance
    }
}
