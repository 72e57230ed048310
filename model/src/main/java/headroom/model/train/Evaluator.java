package headroom.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import headroom.core.ByteAudit;
import headroom.core.TokenStream;
import headroom.model.nn.LmModel;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
     * audits the target bytes against the stream's text bytes: a mismatch throws {@link headroom.core.ByteAuditException}.
     */
    public EvalResult evaluate(LmModel model, TokenStream stream, int[] tokenByteLengths, int loops) {
        return evaluateAtLoops(model, stream, tokenByteLengths, new int[] {loops}).get(loops);
    }

    /**
     * {@link #evaluate(LmModel, TokenStream, int[], int)} at each of {@code loopCounts} (ascending,
     * distinct) from one forward pass per batch ({@link LmModel#logitsAtLoops}): each result is exactly
     * the one a separate evaluation at that count gives.
     */
    public Map<Integer, EvalResult> evaluateAtLoops(LmModel model, TokenStream stream, int[] tokenByteLengths, int[] loopCounts) {
        long targets = stream.size() - 1;
        if (targets < 1) throw new IllegalArgumentException("stream has " + stream.size() + " tokens; evaluation needs at least 2");
        long targetBytes = ByteAudit.auditedTargetBytes("the evaluated token stream", stream, tokenByteLengths);
        long fullWindows = targets / seqLen;
        double[] sumNats = new double[loopCounts.length];
        // Autograd is off for this thread unless a GradientCollector is open, but grad mode is per thread
        // and on by default in threads the engine did not start in: without it every forward would record
        // its graph and keep its activations.
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager manager = model.newChildManager()) {
            for (long first = 0; first < fullWindows; first += batchSize) {
                int rows = (int) Math.min(batchSize, fullWindows - first);
                addWindowNats(sumNats, model, manager, stream, first * seqLen, rows, seqLen, loopCounts);
            }
            int tail = (int) (targets - fullWindows * seqLen);
            if (tail > 0) addWindowNats(sumNats, model, manager, stream, fullWindows * seqLen, 1, tail, loopCounts);
        } finally {
            JniUtils.setGradMode(gradMode);
        }
        Map<Integer, EvalResult> results = new LinkedHashMap<>();
        for (int i = 0; i < loopCounts.length; i++) results.put(loopCounts[i], new EvalResult(sumNats[i], targets, targetBytes));
        return results;
    }

    /** Adds the nats of {@code rows} consecutive windows of {@code t} targets starting at token {@code start}, per loop count. */
    private static void addWindowNats(double[] sumNats, LmModel model, NDManager manager, TokenStream stream, long start, int rows, int t,
                                      int[] loopCounts) {
        long[] inputs = new long[rows * t];
        long[] next = new long[rows * t];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = stream.token(start + i);
            next[i] = stream.token(start + i + 1);
        }
        try (NDScope scope = new NDScope()) {
            NDArray x = manager.create(inputs, new Shape(rows, t));   // (B, T)
            NDArray y = manager.create(next, new Shape(rows, t));     // (B, T)
            List<NDArray> logits = model.logitsAtLoops(x, loopCounts); // per loop count (B, T, V)
            // The model hands its results out of its own scope, so they would live as long as the
            // evaluation's manager, a (B, T, V) array per batch and count: this window's scope owns them.
            logits.forEach(NDScope::register);
            for (int l = 0; l < loopCounts.length; l++) {
                float[] nats;
                try (NDScope perCount = new NDScope()) { // frees this count's (B, T, V) arrays before the next
                    perCount.suppressNotUsedWarning();
                    nats = Losses.tokenNats(logits.get(l), y).toFloatArray(); // (B*T)
                    logits.get(l).close();
                }
                double sum = 0;
                for (float n : nats) sum += n;
                sumNats[l] += sum;
            }
        }
    }
}
