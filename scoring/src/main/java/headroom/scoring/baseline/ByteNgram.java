package headroom.scoring.baseline;

import headroom.core.ByteAudit;
import headroom.core.TokenStream;
import headroom.model.train.EvalResult;

import java.util.ArrayList;
import java.util.List;

import static headroom.scoring.baseline.ByteSymbols.ALPHABET;

/**
 * A byte-level interpolated modified Kneser-Ney n-gram (Chen and Goodman 1998, "An empirical study of smoothing
 * techniques for language modeling", sections 2.7 and 3) over {@link ByteSymbols}: 256 byte values plus the
 * end-of-document symbol. At order n, with context h of n - 1 symbols and its shorter context h',
 * <pre>
 *   P_n(w | h) = max(c(hw) - D(c(hw)), 0) / c(h.) + gamma(h) P_{n-1}(w | h'),
 *   gamma(h)   = (D1 N1(h.) + D2 N2(h.) + D3+ N3+(h.)) / c(h.),     P_0(w) = 1 / 257,
 * </pre>
 * where c is the raw count at the model's own order and the continuation count N1+(.hw) (distinct left neighbours)
 * below it; a context without counts leaves P_{n-1} as it is. Each level sums to 1 over the alphabet, so every
 * distribution is proper. One count of order N holds the model of every order 1..N ({@link #scoreEveryOrder}).
 *
 * <p>A model is a view of {@link NgramCounts} as they were when it was built: it refuses to score once they grew.
 */
public final class ByteNgram {

    private static final int RAW = 0;
    private static final int CONTINUATION = 1;
    /** Smallest discount: every seen context keeps some mass for the symbols it never saw. */
    static final double MIN_DISCOUNT = 0.05;

    private final NgramCounts counts;
    private final long countedTargets;
    private final int maxOrder;
    private final int[] continuation;     // (n-grams) distinct symbols seen just before it
    private final int[] stats;            // (contexts, variant, 4) total, N1, N2, N3+ over the context's n-grams
    private final double[][][] discounts; // (order + 1, variant, 3) D1, D2, D3+

    ByteNgram(NgramCounts counts) {
        this.counts = counts;
        this.countedTargets = counts.targets();
        this.maxOrder = counts.maxOrder;
        this.continuation = new int[counts.ngrams.size()];
        this.stats = new int[counts.contexts.size() * 8];
        this.discounts = new double[maxOrder + 1][2][];
        summarize();
    }

    /** Counts every n-gram of orders 1..maxOrder ending at a target of {@code stream} (every position after the first). */
    public static ByteNgram count(TokenStream stream, int maxOrder) {
        NgramCounts counts = new NgramCounts(maxOrder);
        counts.add(stream.tokens(), 1, stream.tokens().length);
        return new ByteNgram(counts);
    }

    public int maxOrder() {
        return maxOrder;
    }

    /** Heap bytes of the counts and the model: both tables and the arrays indexed by their ids. */
    public long bytes() {
        return counts.contexts.bytes() + counts.ngrams.bytes() + 5L * counts.parent.length + 4L * counts.raw.length + 4L * continuation.length
                + 4L * stats.length;
    }

    /** Distinct n-grams of every order counted. */
    public long distinctNgrams() {
        return counts.ngrams.size();
    }

    /**
     * P(symbol | the symbols before {@code position}) under the model of {@code order} (1..maxOrder): the model's raw
     * counts at that order, continuation counts below it.
     */
    public double probability(char[] symbols, int position, int symbol, int order) {
        if (order < 1 || order > maxOrder) throw new IllegalArgumentException("order must be in 1.." + maxOrder + ", got " + order);
        if (symbol < 0 || symbol >= ALPHABET) throw new IllegalArgumentException("symbol must be in 0.." + (ALPHABET - 1) + ", got " + symbol);
        checkCounts();
        double p = 1.0 / ALPHABET;
        int ctx = NgramCounts.ROOT;
        for (int n = 1; n <= order; n++) {
            if (n > 1 && (ctx = child(symbols, position, ctx, n)) < 0) break;
            int g = counts.ngrams.id(NgramCounts.key(ctx, symbol));
            p = n == order ? level(ctx, n, RAW, g < 0 ? 0 : counts.raw[g], p) : level(ctx, n, CONTINUATION, g < 0 ? 0 : continuation[g], p);
        }
        return p;
    }

    /** Nats summed in float64 over every target of {@code stream} under the model of each order 1..maxOrder, audited (see {@link #score}). */
    public List<EvalResult> scoreEveryOrder(String what, TokenStream stream) {
        checkCounts();
        char[] s = stream.tokens();
        double[] nats = new double[maxOrder + 1];
        long bytes = 0;
        for (int i = 1; i < s.length; i++) {
            int w = NgramCounts.symbol(s, i);
            bytes += ByteSymbols.BYTE_LENGTHS[w];
            double lower = 1.0 / ALPHABET;
            int ctx = NgramCounts.ROOT;
            for (int n = 1; n <= maxOrder; n++) {
                if (n > 1 && (ctx = child(s, i, ctx, n)) < 0) {
                    // no such context: every higher order backs off to the distribution below it
                    for (int k = n; k <= maxOrder; k++) nats[k] -= Math.log(lower);
                    break;
                }
                int g = counts.ngrams.id(NgramCounts.key(ctx, w));
                nats[n] -= Math.log(level(ctx, n, RAW, g < 0 ? 0 : counts.raw[g], lower));
                if (n < maxOrder) lower = level(ctx, n, CONTINUATION, g < 0 ? 0 : continuation[g], lower);
            }
        }
        ByteAudit.check(what, bytes, stream.textBytes());
        List<EvalResult> out = new ArrayList<>();
        for (int n = 1; n <= maxOrder; n++) out.add(new EvalResult(nats[n], s.length - 1, bytes));
        return out;
    }

    /**
     * Nats over every target of {@code stream} (each position after the first, EOD included) under the model of
     * {@code order}; the bytes scored must equal the stream's UTF-8 text bytes, else {@link headroom.core.ByteAuditException}.
     */
    public EvalResult score(String what, TokenStream stream, int order) {
        if (order < 1 || order > maxOrder) throw new IllegalArgumentException("order must be in 1.." + maxOrder + ", got " + order);
        return scoreEveryOrder(what, stream).get(order - 1);
    }

    /** The context one symbol longer than {@code ctx} (order n - 1 symbols before position i), or -1 when never seen or before the start. */
    private int child(char[] s, int i, int ctx, int n) {
        return i - n + 1 < 0 ? -1 : counts.contexts.id(NgramCounts.key(ctx, s[i - n + 1]));
    }

    /** One level of the interpolation; the level below alone where the context has no counts of this variant. */
    private double level(int ctx, int order, int variant, int count, double lower) {
        int at = ctx * 8 + variant * 4;
        int total = stats[at];
        if (total == 0) return lower;
        double[] d = discounts[order][variant];
        double kept = count == 0 ? 0 : count - d[Math.min(count, 3) - 1];
        return (kept + (d[0] * stats[at + 1] + d[1] * stats[at + 2] + d[2] * stats[at + 3]) * lower) / total;
    }

    /** Continuation counts, per-context totals and N1 / N2 / N3+, and the discounts of each order from its counts of counts. */
    private void summarize() {
        long[] keys = counts.ngrams.keysById();
        for (int g = 0; g < keys.length; g++) {
            int ctx = (int) (keys[g] / ALPHABET);
            // hw with a symbol v before it: one more distinct left neighbour of the shorter n-gram
            if (ctx != NgramCounts.ROOT) continuation[counts.ngrams.id(NgramCounts.key(counts.parent[ctx], (int) (keys[g] % ALPHABET)))]++;
        }
        long[][][] countOfCounts = new long[maxOrder + 1][2][5]; // (order, variant, count 0..4): n1..n4
        for (int g = 0; g < keys.length; g++) {
            int ctx = (int) (keys[g] / ALPHABET);
            int order = counts.depth[ctx] + 1;
            tally(ctx, RAW, counts.raw[g], countOfCounts[order][RAW]);
            tally(ctx, CONTINUATION, continuation[g], countOfCounts[order][CONTINUATION]);
        }
        for (int order = 1; order <= maxOrder; order++) {
            for (int variant = RAW; variant <= CONTINUATION; variant++) discounts[order][variant] = discounts(countOfCounts[order][variant]);
        }
    }

    private void checkCounts() {
        if (counts.targets() != countedTargets) {
            throw new IllegalStateException("the counts grew from " + countedTargets + " to " + counts.targets() + " targets since this model was built");
        }
    }

    private void tally(int ctx, int variant, int count, long[] countOfCounts) {
        if (count == 0) return;
        int at = ctx * 8 + variant * 4;
        stats[at] += count;
        stats[at + Math.min(count, 3)]++;
        if (count <= 4) countOfCounts[count]++;
    }

    /**
     * Chen and Goodman's estimates from the counts of counts n1..n4: Y = n1 / (n1 + 2 n2), D1 = 1 - 2Y n2/n1,
     * D2 = 2 - 3Y n3/n2, D3+ = 3 - 4Y n4/n3; each Di kept in [MIN_DISCOUNT, i] so that no count goes below zero (the
     * level stays proper) and no seen context starves the symbols it never saw. Where a ratio is undefined no n-gram
     * has that count and the fallback (0.5, 1, 1.5) matters only for D3+ (counts of 4 and more with no 3s).
     */
    static double[] discounts(long[] n) {
        double y = n[1] + 2 * n[2] > 0 ? (double) n[1] / (n[1] + 2 * n[2]) : 0.5;
        double[] d = {
                n[1] > 0 ? 1 - 2 * y * n[2] / n[1] : 0.5,
                n[2] > 0 ? 2 - 3 * y * n[3] / n[2] : 1.0,
                n[3] > 0 ? 3 - 4 * y * n[4] / n[3] : 1.5};
        for (int i = 0; i < 3; i++) d[i] = Math.max(MIN_DISCOUNT, Math.min(i + 1, d[i]));
        return d;
    }
}
