package headroom.pipelines.score;

import headroom.pipelines.score.CandidateScorer.EvalSet;
import headroom.scoring.EvalTexts;
import headroom.tokenizer.BpeModel;

import java.io.Serializable;
import java.util.List;

/**
 * The texts every model is scored on, as the driver read them: val (doc_id order, at most score.val-max-docs), the
 * out-of-domain set (empty when none) and the byte allocator's train-split calibration sample (empty when no allocation
 * target is set). Under score.parallelism != 1 they reach the executors once each, as a Spark broadcast.
 */
record ScoreTexts(List<String> val, List<String> heldout, List<String> calibration) implements Serializable {

    ScoreTexts {
        val = List.copyOf(val);
        heldout = List.copyOf(heldout);
        calibration = List.copyOf(calibration);
    }

    /** val and the out-of-domain set under one vocabulary's tokenizer. */
    EvalSet encode(BpeModel tokenizer) {
        return new EvalSet(EvalTexts.encode(val, tokenizer), heldout.isEmpty() ? null : EvalTexts.encode(heldout, tokenizer),
                tokenizer.tokenByteLengths());
    }

    /** The allocator's inputs for {@code targets} under one vocabulary's tokenizer; NONE without targets. */
    CandidateScorer.Allocate allocate(ScoreConf conf, List<headroom.scoring.AllocationTarget> targets, BpeModel tokenizer) {
        if (targets.isEmpty()) return CandidateScorer.Allocate.NONE;
        return new CandidateScorer.Allocate(targets, EvalTexts.encode(calibration, tokenizer), conf.calibrationTokens(), conf.firstOrder());
    }
}
