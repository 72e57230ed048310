package headroom.scoring.baseline;

import headroom.core.TokenStream;
import headroom.model.train.EvalResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The floor a model must clear (DESIGN.md, "runs that finished learning"): a {@link ByteNgram} trained on the train
 * split's bytes, its order chosen on a holdout carved from the end of the train split (never val), refit on the whole
 * (capped) train split and scored on the val bytes and the out-of-domain bytes with the models' byte audit.
 */
public final class NgramFloor {

    private static final Logger LOG = LoggerFactory.getLogger(NgramFloor.class);

    /**
     * @param maxOrder        orders 1..maxOrder compete on the holdout
     * @param holdoutFraction the last fraction of the train documents (at least one) that the order is chosen on
     * @param maxTrainBytes   train text read, whole documents in the given order: bounds the counts' memory
     */
    public record Settings(int maxOrder, double holdoutFraction, long maxTrainBytes) {
        public Settings {
            if (maxOrder < 1 || maxOrder > 16) throw new IllegalArgumentException("maxOrder must be in 1..16, got " + maxOrder);
            if (!(holdoutFraction > 0 && holdoutFraction < 1)) throw new IllegalArgumentException("holdoutFraction must be in (0, 1), got " + holdoutFraction);
            if (maxTrainBytes < 1 || maxTrainBytes > 1L << 30) throw new IllegalArgumentException("maxTrainBytes must be in 1..2^30, got " + maxTrainBytes);
        }
    }

    /** The train documents under the byte cap: the longest prefix that fits; {@code capped} when documents were left out. */
    public record Capped(List<String> documents, long bytes, boolean capped) {
    }

    /** The order with the lowest holdout bits per byte (the lower one on a tie), and every order's. */
    public record Selection(int order, List<Double> holdoutBpbByOrder, int fitDocuments, int holdoutDocuments, long holdoutBytes) {
        public double holdoutBpb() {
            return holdoutBpbByOrder.get(order - 1);
        }
    }

    /**
     * The floor as measured: the selection, the refit's training text, the scores (heldoutBpb NaN without an
     * out-of-domain set), the counts' heap bytes and the seconds it all took.
     */
    public record Result(Selection selection, int trainDocuments, long trainBytes, boolean capped, double valBpb, double heldoutBpb,
                         long countBytes, double seconds) {
        public int order() {
            return selection.order();
        }
    }

    private NgramFloor() {
    }

    /**
     * Chooses the order on the last holdoutFraction of the (capped) train documents, counted on the rest; then adds the
     * holdout's counts (the whole train split counted, as a refit would) and scores val and the out-of-domain set with
     * the chosen order. The model of order k is read off the counts of order maxOrder exactly: its levels below k use the
     * same continuation counts.
     *
     * @param train   the train split in doc_id order, at least up to maxTrainBytes (more is cut off here)
     * @param heldout the out-of-domain documents; empty when there are none
     */
    public static Result measure(List<String> train, List<String> val, List<String> heldout, Settings settings) {
        long t0 = System.nanoTime();
        Capped capped = cap(train, settings.maxTrainBytes());
        List<String> documents = capped.documents();
        int n = documents.size();
        int holdout = Math.max(1, (int) Math.round(settings.holdoutFraction() * n));
        if (n - holdout < 1) {
            throw new IllegalArgumentException("the n-gram floor needs at least 2 train documents (one to count, one to choose its order on), got " + n);
        }
        TokenStream all = ByteSymbols.encode(documents);
        int split = Math.toIntExact(all.docStart()[n - holdout]);
        NgramCounts counts = new NgramCounts(settings.maxOrder());
        counts.add(all.tokens(), 1, split);
        Selection selection = select(new ByteNgram(counts), ByteSymbols.encode(documents.subList(n - holdout, n)), n - holdout);

        counts.add(all.tokens(), split, all.tokens().length);
        ByteNgram model = new ByteNgram(counts);
        int order = selection.order();
        double onVal = model.score("the n-gram floor on val", ByteSymbols.encode(val), order).bpb();
        double onHeldout = heldout.isEmpty() ? Double.NaN : model.score("the n-gram floor on the out-of-domain set", ByteSymbols.encode(heldout), order).bpb();
        Result result = new Result(selection, n, capped.bytes(), capped.capped(), onVal, onHeldout, model.bytes(), (System.nanoTime() - t0) / 1e9);
        LOG.info(String.format(Locale.ROOT, "ngram: order %d on %,d train documents (%,d bytes%s) | val %.4f bpb%s | counts %.0f MB | %.1f s",
                order, n, capped.bytes(), capped.capped() ? ", capped" : "", onVal,
                heldout.isEmpty() ? "" : String.format(Locale.ROOT, " | out-of-domain %.4f bpb", onHeldout), model.bytes() / 1e6, result.seconds()));
        return result;
    }

    /** The order with the lowest bits per byte on the holdout: val is not an argument. */
    private static Selection select(ByteNgram fit, TokenStream holdout, int fitDocuments) {
        List<Double> bpb = fit.scoreEveryOrder("the n-gram's train holdout", holdout).stream().map(EvalResult::bpb).toList();
        int best = 0;
        for (int k = 1; k < bpb.size(); k++) if (bpb.get(k) < bpb.get(best)) best = k;
        Selection selection = new Selection(best + 1, bpb, fitDocuments, holdout.documents(), holdout.textBytes());
        LOG.info(String.format(Locale.ROOT, "ngram: order %d chosen on a train holdout of %,d documents (%,d bytes) | holdout bpb by order %s",
                selection.order(), holdout.documents(), holdout.textBytes(), bpb.stream().map(b -> String.format(Locale.ROOT, "%.4f", b)).toList()));
        return selection;
    }

    public static Capped cap(List<String> documents, long maxBytes) {
        long bytes = 0;
        int kept = 0;
        for (String d : documents) {
            long b = d.getBytes(StandardCharsets.UTF_8).length;
            if (bytes + b > maxBytes) break;
            bytes += b;
            kept++;
        }
        if (kept == 0) {
            throw new IllegalArgumentException("the first train document alone is over the n-gram's cap of " + maxBytes + " bytes"
                    + (documents.isEmpty() ? " (there are no train documents)" : ""));
        }
        return new Capped(List.copyOf(documents.subList(0, kept)), bytes, kept < documents.size());
    }
}
