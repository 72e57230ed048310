package headroom.pipelines.score;

import headroom.pipelines.score.ScoreRows.LeaderboardRow;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The four falsification criteria of DESIGN.md, decided from scored artifacts. Pure.
 * <p>"Matched artifact size": two valid artifacts of the same precision plan, different vocabulary
 * sizes, whose byte totals differ by at most {@link #MATCH_TOLERANCE} of the larger. Each criterion
 * is decided by the majority of its pairs; a tie counts against the hypothesis (a gain must show).
 */
public final class HypothesisVerdicts {

    /** Artifacts within 10% of each other's bytes are compared as "matched size". */
    public static final double MATCH_TOLERANCE = 0.10;
    /** Head bytes saved may fall short of the sweep's prediction by this fraction before criterion 2 counts it against. */
    public static final double HEAD_SAVING_TOLERANCE = 0.10;

    private static final String NO_MATCHED_PAIR = "no two valid artifacts of different vocabulary sizes and the same plan "
            + "within 10% of each other's bytes";

    public enum Status { SUPPORTED, REFUTED, NOT_ENOUGH_DATA }

    /**
     * One criterion answered: its status, a one-line finding, the numbers behind it (one line per
     * pair or artifact) and, when the data cannot decide, the run that would.
     */
    public record Verdict(int number, String criterion, Status status, String finding, List<String> evidence, String settle) {
        public Verdict {
            evidence = List.copyOf(evidence);
        }
    }

    /** Two artifacts of the same plan and different vocabularies: {@code small} has the smaller one. */
    record Pair(LeaderboardRow small, LeaderboardRow large) {
        String label() {
            return small.candidate() + " vs " + large.candidate() + " (" + small.plan() + ")";
        }
    }

    private HypothesisVerdicts() {
    }

    public static List<Verdict> decide(List<LeaderboardRow> rows) {
        return List.of(sequenceLength(rows), headBytes(rows), widerTrunk(rows), outOfDomain(rows));
    }

    /** (1) The smaller vocabulary lengthens sequences by r (tokens per byte ratio); its bits per token must fall by more than 1/r. */
    static Verdict sequenceLength(List<LeaderboardRow> rows) {
        String title = "The smaller vocabulary lengthens sequences enough to erase the gain";
        List<Pair> pairs = matchedPairs(rows);
        if (pairs.isEmpty()) return notEnough(1, title, NO_MATCHED_PAIR, List.of(), matchedRun());
        List<String> evidence = new ArrayList<>();
        int wins = 0;
        for (Pair p : pairs) {
            double r = p.small().tokensPerByte() / p.large().tokensPerByte();
            double q = p.small().bitsPerToken() / p.large().bitsPerToken();
            if (r * q < 1) wins++;
            evidence.add(f("%s: sequences x%.3f longer (tokens/byte %.4f vs %.4f), bits per token x%.3f -> bpb %.4f vs %.4f (x%.3f)",
                    p.label(), r, p.small().tokensPerByte(), p.large().tokensPerByte(), q, p.small().bpbPost(), p.large().bpbPost(), r * q));
        }
        return majority(1, title, wins, pairs.size(), evidence,
                "the smaller vocabulary's lower bits per token outweigh its longer sequences",
                "the longer sequences of the smaller vocabulary erase its per-token gain");
    }

    /** (2) Head bytes saved by the smaller vocabulary, measured after quantization and compression, against the sweep's prediction. */
    static Verdict headBytes(List<LeaderboardRow> rows) {
        String title = "The head bytes saved are smaller than expected after real quantization and compression";
        List<String> evidence = new ArrayList<>();
        for (LeaderboardRow r : rows) {
            evidence.add(f("%s (%s): head %,d bytes measured, %,.0f predicted (x%.3f)", r.candidate(), r.plan(), r.embeddingHeadBytes(),
                    r.predictedHeadBytes(), r.embeddingHeadBytes() / r.predictedHeadBytes()));
        }
        List<Pair> pairs = new ArrayList<>();
        for (Pair p : pairs(rows, false)) {
            if (p.small().headMode().equals(p.large().headMode())) pairs.add(p);
        }
        if (pairs.isEmpty()) {
            return notEnough(2, title, "one vocabulary size per head mode and plan: no head saving to measure", evidence,
                    "score a second vocabulary size with the same head mode and precision plan "
                    + "(e.g. train.candidates = [\"v512-tied\", \"v1024-tied\"]): the saving is a difference of two measured heads");
        }
        int asExpected = 0;
        for (Pair p : pairs) {
            long measured = p.large().embeddingHeadBytes() - p.small().embeddingHeadBytes();
            double predicted = p.large().predictedHeadBytes() - p.small().predictedHeadBytes();
            if (measured >= (1 - HEAD_SAVING_TOLERANCE) * predicted) asExpected++;
            evidence.add(f("%s: saved %,d head bytes measured, %,.0f predicted (x%.3f)", p.label(), measured, predicted, measured / predicted));
        }
        return majority(2, title, asExpected, pairs.size(), evidence,
                f("the measured head saving reaches at least %.0f%% of the sweep's prediction", 100 * (1 - HEAD_SAVING_TOLERANCE)),
                f("the measured head saving falls more than %.0f%% short of the sweep's prediction", 100 * HEAD_SAVING_TOLERANCE));
    }

    /** (3) At matched size, the smaller-vocabulary artifact that spends more bytes on the trunk must reach lower post-roundtrip bpb. */
    static Verdict widerTrunk(List<LeaderboardRow> rows) {
        String title = "The wider shared trunk does not turn the freed bytes into lower post-roundtrip bits per byte";
        List<Pair> pairs = matchedPairs(rows).stream().filter(p -> p.small().trunkBytes() > p.large().trunkBytes()).toList();
        if (pairs.isEmpty()) {
            return notEnough(3, title, matchedPairs(rows).isEmpty() ? NO_MATCHED_PAIR
                    : "no matched-size pair in which the smaller vocabulary spends more bytes on the trunk", List.of(), matchedRun());
        }
        List<String> evidence = new ArrayList<>();
        int wins = 0;
        for (Pair p : pairs) {
            if (p.small().bpbPost() < p.large().bpbPost()) wins++;
            evidence.add(f("%s: trunk %,d vs %,d bytes (d %d vs %d, %s vs %s), bpb %.4f vs %.4f (%+.4f)", p.label(), p.small().trunkBytes(),
                    p.large().trunkBytes(), p.small().dModel(), p.large().dModel(), p.small().depth(), p.large().depth(),
                    p.small().bpbPost(), p.large().bpbPost(), p.small().bpbPost() - p.large().bpbPost()));
        }
        return majority(3, title, wins, pairs.size(), evidence,
                "the wider trunk bought with the freed head bytes reaches lower post-roundtrip bpb",
                "the wider trunk does not reach lower post-roundtrip bpb than the larger vocabulary");
    }

    /** (4) The smaller vocabulary's val gain must survive on the out-of-domain set. */
    static Verdict outOfDomain(List<LeaderboardRow> rows) {
        String title = "The gain comes from tokenizer overfitting to its training text, not a durable exchange";
        List<LeaderboardRow> withHeldout = rows.stream().filter(r -> !Double.isNaN(r.heldoutBpb())).toList();
        if (withHeldout.isEmpty()) {
            return notEnough(4, title, "no out-of-domain set was scored", List.of(),
                    "set headroom.sweep.heldout to an out-of-domain text file (one document per line), "
                    + "then re-run sweep and score");
        }
        List<String> evidence = new ArrayList<>();
        for (LeaderboardRow r : withHeldout) {
            evidence.add(f("%s (%s): tokens/byte %.4f val -> %.4f out-of-domain (%+.1f%%), bpb %.4f -> %.4f (%+.4f)", r.candidate(), r.plan(),
                    r.tokensPerByte(), r.heldoutTokensPerByte(), 100 * (r.heldoutTokensPerByte() / r.tokensPerByte() - 1),
                    r.bpbPost(), r.heldoutBpb(), r.heldoutBpb() - r.bpbPost()));
        }
        List<Pair> gains = matchedPairs(withHeldout).stream().filter(p -> p.small().bpbPost() < p.large().bpbPost()).toList();
        if (gains.isEmpty()) {
            return notEnough(4, title, "no matched-size pair in which the smaller vocabulary wins on val: no gain yet whose durability "
                    + "could be tested", evidence, matchedPairs(withHeldout).isEmpty() ? matchedRun() + ", the out-of-domain set kept"
                    : "a matched-size pair in which the smaller vocabulary wins on val; until one exists, criteria 1 and 3 decide");
        }
        int durable = 0;
        for (Pair p : gains) {
            double valGain = p.large().bpbPost() - p.small().bpbPost();
            double oodGain = p.large().heldoutBpb() - p.small().heldoutBpb();
            if (oodGain > 0) durable++;
            evidence.add(f("%s: gain %.4f bpb on val, %.4f out-of-domain", p.label(), valGain, oodGain));
        }
        return majority(4, title, durable, gains.size(), evidence,
                "the smaller vocabulary's gain holds on the out-of-domain set",
                "the smaller vocabulary's gain vanishes out of domain: it came from the tokenizer fitting its training text");
    }

    /** Valid artifacts of one plan, different vocabularies, within {@link #MATCH_TOLERANCE} in bytes. */
    static List<Pair> matchedPairs(List<LeaderboardRow> rows) {
        return pairs(rows, true).stream().filter(p -> p.small().valid() && p.large().valid()
                && Math.abs(p.small().artifactBytes() - p.large().artifactBytes())
                <= MATCH_TOLERANCE * Math.max(p.small().artifactBytes(), p.large().artifactBytes())).toList();
    }

    private static List<Pair> pairs(List<LeaderboardRow> rows, boolean validOnly) {
        List<Pair> out = new ArrayList<>();
        for (LeaderboardRow a : rows) {
            for (LeaderboardRow b : rows) {
                if (a.plan().equals(b.plan()) && a.vocabSize() < b.vocabSize() && (!validOnly || (a.valid() && b.valid()))) out.add(new Pair(a, b));
            }
        }
        return out;
    }

    private static Verdict majority(int number, String title, int forHypothesis, int total, List<String> evidence, String supported, String refuted) {
        boolean holds = 2 * forHypothesis > total;
        String finding = f("%d of %d comparisons: %s", holds ? forHypothesis : total - forHypothesis, total, holds ? supported : refuted);
        return new Verdict(number, title, holds ? Status.SUPPORTED : Status.REFUTED, finding, evidence, "");
    }

    private static Verdict notEnough(int number, String title, String finding, List<String> evidence, String settle) {
        return new Verdict(number, title, Status.NOT_ENOUGH_DATA, finding, evidence, settle);
    }

    private static String matchedRun() {
        return f("score two candidates of different vocabulary sizes whose valid artifacts are within %.0f%% of each other's bytes, "
                + "with the same precision plan (e.g. train.candidates = [\"v512-tied\", \"v1024-tied\"] from one sweep: both fill the cap)",
                100 * MATCH_TOLERANCE);
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
