package headroom.scoring;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * DESIGN.md's decomposition, decided from scored artifacts. Pure. For a vocabulary pair, A = V_large
 * filling the cap, B = V_small with A's trunk, C = V_small filling the cap; every comparison is a
 * difference paired by seed, with its mean and 95% interval, oriented so that a positive value is what
 * the hypothesis predicts. A criterion "holds" when the whole interval lies above + the minimum effect,
 * "fails" when it lies below - the minimum effect, and is "inconclusive" otherwise (criterion 2 compares
 * bytes freed with a share of the sweep's prediction instead).
 */
public final class HypothesisVerdicts {

    public enum Word {
        HOLDS, FAILS, INCONCLUSIVE;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One pair's design as the sweep planned it: the three candidate names, the predicted bytes freed and the tokenizers' numbers. */
    public record Design(String pair, int smallVocab, int largeVocab, String a, String b, String c, long predictedBytesFreed,
                         Tokenizer small, Tokenizer large) {
    }

    /** A tokenizer's tokens per byte on the train split (exact), val and the out-of-domain set (NaN when none), from the sweep. */
    public record Tokenizer(double train, double val, double heldout) {
        public double trainToVal() {
            return val / train - 1;
        }

        public double valToHeldout() {
            return heldout / val - 1;
        }
    }

    /** One scored (candidate, seed) artifact under the sizing plan: the numbers the criteria read. */
    public record Measured(String candidate, long seed, double bpb, double heldoutBpb, long artifactBytes, double fill, boolean inBand) {
    }

    /** How a criterion is decided: the minimum effect in bpb and the share of the predicted bytes freed that must be measured. */
    public record Rules(double minEffectBpb, double bytesTolerance) {
    }

    /** One criterion answered, with the difference it rests on and the numbers behind it. */
    public record Verdict(String pair, int number, String criterion, Word word, String measure, PairedInterval interval, String finding,
                          List<String> evidence) {
        public Verdict {
            evidence = List.copyOf(evidence);
        }

        public ScoreRows.VerdictRow row() {
            return new ScoreRows.VerdictRow(pair, number, criterion, word.word(), measure, interval.mean(), interval.lower(), interval.upper(),
                    interval.n(), finding);
        }
    }

    public static final String[] CRITERIA = {
            "Sequence length: the smaller vocabulary's longer sequences cost less than its freed bytes buy",
            "Bytes freed: the head bytes saved after real quantization and compression reach the sweep's prediction",
            "Reinvestment: the freed bytes, spent on the trunk, lower post-roundtrip bits per byte",
            "Durability: the gain holds on out-of-domain text"};

    private HypothesisVerdicts() {
    }

    /** The four criteria for one design, from the scored artifacts of its candidates (any others are ignored). */
    public static List<Verdict> decide(Design d, List<Measured> rows, Rules rules) {
        Map<Long, Measured> a = bySeed(rows, d.a()), b = bySeed(rows, d.b()), c = bySeed(rows, d.c());
        List<String> missing = new ArrayList<>();
        if (a.isEmpty()) missing.add("A " + d.a());
        if (b.isEmpty()) missing.add("B " + d.b());
        if (c.isEmpty()) missing.add("C " + d.c());
        if (!missing.isEmpty()) {
            List<Verdict> out = new ArrayList<>();
            for (int i = 1; i <= 4; i++) {
                out.add(new Verdict(d.pair(), i, CRITERIA[i - 1], Word.INCONCLUSIVE, "", PairedInterval.of(new double[0]),
                        "inconclusive: not scored: " + String.join(", ", missing) + " (train.candidates = [\"hypothesis\"] trains them)", List.of()));
            }
            return out;
        }
        List<String> matched = matchedBytes(a, c);
        return List.of(sequenceLength(d, a, b, c, rules, matched), bytesFreed(d, a, b, rules), reinvestment(d, b, c, rules, matched),
                durability(d, a, b, c, rules));
    }

    /** Criterion 1: bpb(A) - bpb(C) = reinvestment gain - tokenizer cost; the tokenizer cost bpb(B) - bpb(A) beside it. */
    public static Verdict sequenceLength(Design d, Map<Long, Measured> a, Map<Long, Measured> b, Map<Long, Measured> c, Rules rules,
                                  List<String> matched) {
        PairedInterval net = diff(a, c, Measured::bpb);
        PairedInterval cost = diff(b, a, Measured::bpb);
        Word w = word(net, rules.minEffectBpb());
        List<String> evidence = new ArrayList<>();
        evidence.add(f("tokenizer cost bpb(B) - bpb(A) = %s: the smaller vocabulary alone at A's trunk, at x%.3f train tokens per byte (%.4f vs %.4f)",
                show(cost), d.small().train() / d.large().train(), d.small().train(), d.large().train()));
        evidence.add(f("net gain bpb(A) - bpb(C) = %s (= reinvestment gain - tokenizer cost)", show(net)));
        evidence.addAll(matched);
        return new Verdict(d.pair(), 1, CRITERIA[0], w, "bpb(A) - bpb(C)", net, f("%s: bpb(A) - bpb(C) = %s; %s", w.word(), show(net),
                reading(w, "C, the smaller vocabulary filling the cap, beats A", "A beats C: the longer sequences erase the gain",
                        rules.minEffectBpb())), evidence);
    }

    /** Criterion 2: bytes(A) - bytes(B) on the artifact files against the sweep's prediction. */
    public static Verdict bytesFreed(Design d, Map<Long, Measured> a, Map<Long, Measured> b, Rules rules) {
        PairedInterval freed = diff(a, b, m -> m.artifactBytes());
        double threshold = (1 - rules.bytesTolerance()) * d.predictedBytesFreed();
        Word w = freed.lower() >= threshold ? Word.HOLDS : freed.upper() < threshold ? Word.FAILS : Word.INCONCLUSIVE;
        String finding = f("%s: %s bytes freed measured on the artifact files against %,d predicted (x%.3f); holds from %,.0f (%.0f%%)",
                w.word(), showBytes(freed), d.predictedBytesFreed(), freed.mean() / d.predictedBytesFreed(), threshold,
                100 * (1 - rules.bytesTolerance()));
        List<String> evidence = List.of(
                f("A %s: %,.0f bytes on file (mean over %d seeds)", d.a(), mean(a, m -> m.artifactBytes()), a.size()),
                f("B %s: %,.0f bytes on file (mean over %d seeds)", d.b(), mean(b, m -> m.artifactBytes()), b.size()));
        return new Verdict(d.pair(), 2, CRITERIA[1], w, "bytes(A) - bytes(B)", freed, finding, evidence);
    }

    /** Criterion 3: bpb(B) - bpb(C), what the freed bytes buy when spent on the trunk. */
    public static Verdict reinvestment(Design d, Map<Long, Measured> b, Map<Long, Measured> c, Rules rules, List<String> matched) {
        PairedInterval gain = diff(b, c, Measured::bpb);
        Word w = word(gain, rules.minEffectBpb());
        List<String> evidence = new ArrayList<>(List.of(f("bpb B %.4f, C %.4f (means)", mean(b, Measured::bpb), mean(c, Measured::bpb))));
        evidence.addAll(matched);
        return new Verdict(d.pair(), 3, CRITERIA[2], w, "bpb(B) - bpb(C)", gain, f("%s: bpb(B) - bpb(C) = %s; %s", w.word(), show(gain),
                reading(w, "the grown trunk turns the freed bytes into lower bpb", "the grown trunk is worse than A's trunk",
                        rules.minEffectBpb())), evidence);
    }

    /** Criterion 4: the net gain on the out-of-domain set, beside the tokenizers' train-vs-val and val-vs-out-of-domain gaps. */
    public static Verdict durability(Design d, Map<Long, Measured> a, Map<Long, Measured> b, Map<Long, Measured> c, Rules rules) {
        if (a.values().stream().anyMatch(m -> Double.isNaN(m.heldoutBpb()))) {
            return new Verdict(d.pair(), 4, CRITERIA[3], Word.INCONCLUSIVE, "", PairedInterval.of(new double[0]),
                    "inconclusive: no out-of-domain set was scored (set headroom.sweep.heldout)", List.of());
        }
        PairedInterval net = diff(a, c, Measured::heldoutBpb);
        PairedInterval valNet = diff(a, c, Measured::bpb);
        Word w = word(net, rules.minEffectBpb());
        List<String> evidence = List.of(
                f("out of domain: bpb(A) - bpb(C) = %s, against %s on val", show(net), show(valNet)),
                f("out of domain: tokenizer cost bpb(B) - bpb(A) = %s, reinvestment bpb(B) - bpb(C) = %s",
                        show(diff(b, a, Measured::heldoutBpb)), show(diff(b, c, Measured::heldoutBpb))),
                f("tokens per byte, V=%d: train %.4f -> val %.4f (%+.1f%%) -> out of domain %.4f (%+.1f%%)", d.smallVocab(), d.small().train(),
                        d.small().val(), 100 * d.small().trainToVal(), d.small().heldout(), 100 * d.small().valToHeldout()),
                f("tokens per byte, V=%d: train %.4f -> val %.4f (%+.1f%%) -> out of domain %.4f (%+.1f%%)", d.largeVocab(), d.large().train(),
                        d.large().val(), 100 * d.large().trainToVal(), d.large().heldout(), 100 * d.large().valToHeldout()));
        return new Verdict(d.pair(), 4, CRITERIA[3], w, "out-of-domain bpb(A) - bpb(C)", net, f("%s: out of domain bpb(A) - bpb(C) = %s; %s",
                w.word(), show(net), reading(w, "the gain carries to text the tokenizer never saw", "out of domain A beats C",
                        rules.minEffectBpb())), evidence);
    }

    /** The decision rule of DESIGN.md: the whole interval beyond + or - the minimum effect, else inconclusive. */
    public static Word word(PairedInterval i, double minEffect) {
        if (i.lower() > minEffect) return Word.HOLDS;
        if (i.upper() < -minEffect) return Word.FAILS;
        return Word.INCONCLUSIVE;
    }

    private static String reading(Word w, String holds, String fails, double minEffect) {
        return switch (w) {
            case HOLDS -> holds + " by more than the minimum effect " + minEffect;
            case FAILS -> fails + " by more than the minimum effect " + minEffect;
            case INCONCLUSIVE -> "the 95% interval reaches inside +/- " + minEffect + " bpb (or too few seeds to bound it)";
        };
    }

    /** A and C are compared at matched bytes only when both files land in the fill band. */
    private static List<String> matchedBytes(Map<Long, Measured> a, Map<Long, Measured> c) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Map<Long, Measured>> e : Map.of("A", a, "C", c).entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
            boolean band = e.getValue().values().stream().allMatch(Measured::inBand);
            out.add(f("%s's artifact fills %.1f%% of the cap on file (mean)%s", e.getKey(), 100 * mean(e.getValue(), Measured::fill),
                    band ? "" : ": outside the fill band, so this comparison is not at matched bytes"));
        }
        // How far apart the two are, beside how far each is from the band: a reader weighs the flag by it.
        out.add(f("A and C differ by %.1f%% of the cap between them (mean fill on file)", 100 * Math.abs(mean(a, Measured::fill) - mean(c, Measured::fill))));
        return out;
    }

    private static Map<Long, Measured> bySeed(List<Measured> rows, String candidate) {
        return rows.stream().filter(r -> r.candidate().equals(candidate)).collect(Collectors.toMap(Measured::seed, r -> r, (x, y) -> x));
    }

    private static PairedInterval diff(Map<Long, Measured> x, Map<Long, Measured> y, ToDoubleFunction<Measured> value) {
        return PairedInterval.paired(values(x, value), values(y, value));
    }

    private static Map<Long, Double> values(Map<Long, Measured> m, ToDoubleFunction<Measured> value) {
        return m.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> value.applyAsDouble(e.getValue())));
    }

    private static double mean(Map<Long, Measured> m, ToDoubleFunction<Measured> value) {
        return m.values().stream().mapToDouble(value).average().orElse(Double.NaN);
    }

    /** {@code +0.0123 [+0.0081, +0.0165], n=3}. */
    public static String show(PairedInterval i) {
        if (i.n() < 2) return f("%+.4f (n=%d, no interval)", i.mean(), i.n());
        return f("%+.4f [%+.4f, %+.4f], n=%d", i.mean(), i.lower(), i.upper(), i.n());
    }

    private static String showBytes(PairedInterval i) {
        if (i.n() < 2) return f("%,.0f (n=%d, no interval)", i.mean(), i.n());
        return f("%,.0f [%,.0f, %,.0f], n=%d", i.mean(), i.lower(), i.upper(), i.n());
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
