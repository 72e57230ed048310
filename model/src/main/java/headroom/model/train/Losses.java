package headroom.model.train;

import ai.djl.ndarray.NDArray;

/** Cross-entropy from logits, per token and as a mean. */
final class Losses {

    private Losses() {
    }

    /** logits (B, T, V), targets (B, T) int64 -> nats per target (B*T): logsumexp(logits) - logit[target]. */
    static NDArray tokenNats(NDArray logits, NDArray targets) {
        long v = logits.getShape().get(2);
        NDArray logProbs = logits.reshape(-1, v).logSoftmax(-1);   // (B*T, V)
        NDArray picked = logProbs.gather(targets.reshape(-1, 1), 1); // (B*T, 1)
        return picked.reshape(-1).neg();                           // (B*T)
    }

    /** Mean cross-entropy over all targets: the training loss. */
    static NDArray meanLoss(NDArray logits, NDArray targets) {
        return tokenNats(logits, targets).mean();
    }
}
