package headroom.training.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import headroom.tokenizer.ByteAudit;
import headroom.tokenizer.shards.TokenStream;
import headroom.training.model.LmModel;

/**
 * Exact bits per byte of a model on a token stream (DESIGN.md, "bits per byte"). The stream is cut
 * into windows of T+1 tokens with stride T, so every position after the first is a target exactly
 * once; the last window may be shorter. No gradients are recorded (outside a GradientCollector).
 */
public record Evaluator(int seqLen, int batchSize) {

    public Evaluator {
        if (seqLen < 1) throw new IllegalArgumentException("seqLen must be >= 1, got " + seqLen);
        if (batchSize < 1) throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
    }

    public EvalResult evaluate(LmModel model, TokenStream stream, int[] tokenByteLengths) {
        return evaluate(model, stream, tokenByteLengths, model.config().loops());
    }

    /**
     * Sums nats in float64 over every target of {@code stream}, running {@code loops} loops, and
     * audits the target bytes against the stream's text bytes: a mismatch throws {@link headroom.tokenizer.ByteAuditException}.
     */
    public EvalResult evaluate(LmModel model, TokenStream stream, int[] tokenByteLengths, int loops) {
        long targets = stream.size() - 1;
        if (targets < 1) throw new IllegalArgumentException("stream has " + stream.size() + " tokens; evaluation needs at least 2");
        long targetBytes = ByteAudit.auditedTargetBytes("the evaluated token stream", stream, tokenByteLengths);
        long fullWindows = targets / seqLen;
        double sumNats = 0;
        try (NDManager manager = model.newChildManager()) {
            for (long first = 0; first < fullWindows; first += batchSize) {
                int rows = (int) Math.min(batchSize, fullWindows - first);
                sumNats += windowNats(model, manager, stream, first * seqLen, rows, seqLen, loops);
            }
            int tail = (int) (targets - fullWindows * seqLen);
            if (tail > 0) sumNats += windowNats(model, manager, stream, fullWindows * seqLen, 1, tail, loops);
        }
        return new EvalResult(sumNats, targets, targetBytes);
    }

    /** Nats of {@code rows} consecutive windows of {@code t} targets starting at token {@code start}. */
    private static double windowNats(LmModel model, NDManager manager, TokenStream stream, long start, int rows, int t, int loops) {
        long[] inputs = new long[rows * t];
        long[] next = new long[rows * t];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < t; i++) {
                long pos = start + (long) r * t + i;
                inputs[r * t + i] = stream.token(pos);
                next[r * t + i] = stream.token(pos + 1);
            }
        }
        try (NDScope scope = new NDScope()) {
            NDArray x = manager.create(inputs, new Shape(rows, t));   // (B, T)
            NDArray y = manager.create(next, new Shape(rows, t));     // (B, T)
            float[] nats = Losses.tokenNats(model.logits(x, loops), y).toFloatArray(); // (B*T)
            double sum = 0;
            for (float n : nats) sum += n;
            return sum;
        }
    }
}
