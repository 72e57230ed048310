package headroom.scoring.predict;

import java.util.Objects;

/**
 * One scored run as the law sees it: which corpus and tokenizer family it was measured on (a fit
 * refuses to mix them), which cap and seed, the law's inputs and the measured post-roundtrip bits
 * per byte. Built from a run directory's scored rows by the pipelines' adapter.
 */
public record ScoredRun(
        String runId,          // e.g. "c250000/v512-tied-d96-2x2/s1": named in every refusal
        String corpus,         // the prep stage's fingerprint: runs of one fit share it
        String tokenizer,      // the sweep's fingerprint (one BPE run gives every V): runs of one fit share it
        long capBytes,         // the artifact cap the candidate was sized for: leave-one-cap-out folds on it
        String candidate,      // the candidate's name: seeds of one candidate are grouped by (capBytes, candidate)
        long seed,
        int vocabSize,
        LawInput input,
        double bpb) {          // measured post-roundtrip bits per byte on val

    public ScoredRun {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(corpus, "corpus");
        Objects.requireNonNull(tokenizer, "tokenizer");
        Objects.requireNonNull(candidate, "candidate");
        Objects.requireNonNull(input, "input");
        if (!(bpb > 0) || !Double.isFinite(bpb)) throw new IllegalArgumentException("run " + runId + ": bpb must be a finite number > 0, got " + bpb);
    }

    /** Seeds of one candidate at one cap share this key. */
    public String candidateKey() {
        return capBytes + "/" + candidate;
    }
}
