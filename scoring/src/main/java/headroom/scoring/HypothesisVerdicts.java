package headroom.scoring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * DESIGN.md's decomposition, decided from scored artifacts. Pure: one design's rows in, its verdicts out, so
 * that a caller can decide each training protocol (bytes-, FLOPs-matched) on its own rows. For a vocabulary
 * pair under one precision plan, A = V_large filling the cap, B = V_small with A's trunk, C = V_small filling
 * the cap; every comparison is a difference paired by seed, oriented so that a positive value is what the
 * hypothesis predicts.
 * <ol>
 * <li><b>Primary endpoint</b>: the net gain bpb(A) - bpb(C), with its 95% interval, unadjusted. It holds when
 * the whole interval lies above + the minimum effect, fails below - the minimum effect, else inconclusive.</li>
 * <li><b>Calibration</b>: bytes freed on the files, A - B, against the sweep's prediction per tensor class, as a
 * ratio; it fails when the saving is short of (1 - tolerance) x the prediction. No seed interval: the byte counts
 * barely move with the seed.</li>
 * <li><b>Secondary</b>, the reinvestment gain bpb(B) - bpb(C) (superiority, as the primary), beside the exchange
 * rate: bpb gained per 100 kB moved into the trunk against bpb lost per 100 kB taken from the head.</li>
 * <li><b>Secondary</b>, durability as a difference in differences: the net gain out of domain minus the net gain
 * on val. It holds when the interval lies above - the minimum effect (the gain does not shrink out of domain),
 * fails when it lies below it.</li>
 * </ol>
 * The secondary criteria of one design are one family, adjusted by Holm's step-down: ranked by p-value, the
 * k-th is decided on the interval at 1 - alpha / (m - k + 1) while every earlier one was decided, and at the level
 * where the step-down stopped after that, so each adjusted interval reads the same as its word. A criterion that
 * rests on a run still learning (its val bpb still moving at the end) reads "inconclusive" and says why.
 */
public final class HypothesisVerdicts {

    public enum Word {
        HOLDS, FAILS, INCONCLUSIVE;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What a criterion is in the analysis plan. */
    public enum Role {
        PRIMARY, CALIBRATION, SECONDARY;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One design as the sweep planned it under one precision plan: the three candidate names, the predicted bytes
     * freed (A's estimate - B's) and the part of it that is the tokenizer assets (exact), and the tokenizers' numbers.
     */
    public record Design(String pair, String plan, int smallVocab, int largeVocab, String a, String b, String c, long predictedBytesFreed,
                         long predictedTokenizerFreed, Tokenizer small, Tokenizer large) {
        /** The head's share of the prediction: A and B share their trunk, norms and overhead by design. */
        public long predictedHeadFreed() {
            return predictedBytesFreed - predictedTokenizerFreed;
        }
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

    /** An artifact's bytes by part, measured on the file (docs/ARTIFACT.md); they sum to the file size. */
    public record Parts(long head, long trunk, long norms, long tokenizer, long overhead) {
        public long total() {
            return head + trunk + norms + tokenizer + overhead;
        }
    }

    /**
     * One scored (candidate, seed) artifact under its sizing plan: the numbers the criteria read. {@code stillLearning}:
     * its val bpb still moved at the end of training (by {@code tailMoveBpb}), so a comparison with it measures speed.
     */
    public record Measured(String candidate, long seed, double bpb, double bpbPre, double heldoutBpb, double tokensPerByte,
                           double heldoutTokensPerByte, Parts bytes, double fill, boolean inBand, boolean stillLearning, double tailMoveBpb) {
        public long artifactBytes() {
            return bytes.total();
        }
    }

    /** How the criteria are decided: the minimum effect in bpb, the calibration tolerance and the family-wise error rate. */
    public record Rules(double minEffectBpb, double bytesTolerance, double alpha) {
        public Rules(double minEffectBpb, double bytesTolerance) {
            this(minEffectBpb, bytesTolerance, 0.05);
        }

        public Rules {
            if (!(alpha > 0 && alpha < 1)) throw new IllegalArgumentException("alpha must be in (0, 1), got " + alpha);
        }
    }

    /**
     * One criterion answered: the interval it is decided on (adjusted when secondary), its p-value (Holm-adjusted when
     * secondary; NaN for calibration), the level of the interval, the unpaired standard deviation beside the paired one.
     */
    public record Verdict(String pair, String plan, int number, String criterion, Role role, Word word, String measure, PairedInterval interval,
                          double confidence, double pValue, double unpairedStd, String adjustment, String finding, List<String> evidence) {
        public Verdict {
            evidence = List.copyOf(evidence);
        }

        public ScoreRows.VerdictRow row() {
            return new ScoreRows.VerdictRow(pair, number, criterion, word.word(), measure, interval.mean(), interval.lower(), interval.upper(),
                    interval.n(), finding, plan, role.label(), confidence, pValue, interval.std(), unpairedStd, adjustment);
        }
    }

    /** Holm's step-down for one p-value: its rank (1 = smallest), the alpha it was tested at, and whether it was rejected. */
    public record Adjusted(double p, int rank, double alpha, boolean rejected, double adjustedP) {
    }

    /** One evaluation step of a training curve difference: bpb(A) - bpb(C) before the round trip, paired by seed. */
    public record Step(long step, PairedInterval difference) {
    }

    public static final String[] CRITERIA = {
            "Net gain (primary): the smaller vocabulary's longer sequences cost less than its freed bytes buy",
            "Bytes freed (calibration): the head bytes saved after real quantization and compression reach the sweep's prediction",
            "Reinvestment (secondary): the freed bytes, spent on the trunk, lower post-roundtrip bits per byte",
            "Durability (secondary): the net gain does not shrink on out-of-domain text"};

    /** Which criteria form the adjusted family, and how: the report names it. */
    public static final String FAMILY = "criteria 3 and 4 of each design (pair, plan), Holm step-down at family-wise alpha";

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
            return undecided(d.pair(), d.plan(), "not scored: " + String.join(", ", missing) + " (train.candidates = [\"hypothesis\"] trains them)");
        }
        List<String> matched = matchedBytes(a, c);
        Verdict primary = netGain(d, a, b, c, rules, matched);
        Verdict calibration = bytesFreed(d, a, b, rules);
        // the family: raw intervals, then Holm decides the words and the level each interval is shown at
        PairedInterval reinvest = diff(b, c, Measured::bpb);
        boolean ood = a.values().stream().noneMatch(m -> Double.isNaN(m.heldoutBpb())) && c.values().stream().noneMatch(m -> Double.isNaN(m.heldoutBpb()));
        PairedInterval did = ood ? diff(a, c, HypothesisVerdicts::oodChange) : PairedInterval.of(new double[0]);
        double[] p = {reinvest.pValue(rules.minEffectBpb(), -rules.minEffectBpb()), ood ? did.pValue(-rules.minEffectBpb(), -rules.minEffectBpb()) : 1};
        List<Adjusted> holm = holm(p, rules.alpha());
        Verdict third = reinvestment(d, a, b, c, rules, matched, reinvest.atLevel(holm.get(0).alpha()), holm.get(0));
        Verdict fourth = ood ? durability(d, a, c, rules, did.atLevel(holm.get(1).alpha()), holm.get(1))
                : new Verdict(d.pair(), d.plan(), 4, CRITERIA[3], Role.SECONDARY, Word.INCONCLUSIVE, "", PairedInterval.of(new double[0]),
                Double.NaN, Double.NaN, Double.NaN, "", "inconclusive: no out-of-domain set was scored (set headroom.sweep.heldout)", List.of());
        return List.of(primary, calibration, third, fourth);
    }

    /** The four criteria, each "inconclusive" for one reason (no design, an arm not scored). */
    public static List<Verdict> undecided(String pair, String plan, String reason) {
        List<Verdict> out = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            out.add(new Verdict(pair, plan, i, CRITERIA[i - 1], role(i), Word.INCONCLUSIVE, "", PairedInterval.of(new double[0]), Double.NaN,
                    Double.NaN, Double.NaN, "", "inconclusive: " + reason, List.of()));
        }
        return out;
    }

    /**
     * Holm's step-down at family-wise {@code alpha} over {@code p} (in the criteria's order): ranked ascending, the k-th is
     * tested at alpha / (m - k + 1) while every earlier one was rejected; once one is not, it and every later one keep the
     * alpha where the step-down stopped. Adjusted p-values: max over j <= k of min(1, (m - j + 1) p_(j)).
     */
    public static List<Adjusted> holm(double[] p, double alpha) {
        int m = p.length;
        Integer[] order = new Integer[m];
        for (int i = 0; i < m; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingDouble(i -> p[i]));
        Adjusted[] out = new Adjusted[m];
        boolean stopped = false;
        double stopAlpha = Double.NaN, running = 0;
        for (int k = 1; k <= m; k++) {
            int i = order[k - 1];
            double level = alpha / (m - k + 1);
            running = Math.max(running, Math.min(1, (m - k + 1) * p[i]));
            if (!stopped && !(p[i] < level)) {
                stopped = true;
                stopAlpha = level;
            }
            out[i] = new Adjusted(p[i], k, stopped ? stopAlpha : level, !stopped, running);
        }
        return List.of(out);
    }

    /** Criterion 1, the primary endpoint: bpb(A) - bpb(C) = reinvestment gain - tokenizer cost, at the unadjusted 95% level. */
    static Verdict netGain(Design d, Map<Long, Measured> a, Map<Long, Measured> b, Map<Long, Measured> c, Rules rules, List<String> matched) {
        PairedInterval net = diff(a, c, Measured::bpb).atLevel(rules.alpha());
        PairedInterval cost = diff(b, a, Measured::bpb);
        Word w = gate(word(net, rules.minEffectBpb(), -rules.minEffectBpb()), a, c);
        List<String> evidence = new ArrayList<>();
        evidence.add(f("tokenizer cost bpb(B) - bpb(A) = %s: the smaller vocabulary alone at A's trunk, at x%.3f train tokens per byte (%.4f vs %.4f)",
                show(cost), d.small().train() / d.large().train(), d.small().train(), d.large().train()));
        evidence.add(f("net gain bpb(A) - bpb(C) = %s (= reinvestment gain - tokenizer cost)", show(net)));
        evidence.add(spread(net, unpaired(a, c, Measured::bpb)));
        evidence.add(f("round trip, post - pre bpb (mean over seeds): A %+.5f, B %+.5f, C %+.5f", mean(a, m -> m.bpb() - m.bpbPre()),
                mean(b, m -> m.bpb() - m.bpbPre()), mean(c, m -> m.bpb() - m.bpbPre())));
        evidence.addAll(matched);
        evidence.addAll(learning(a, c));
        return new Verdict(d.pair(), d.plan(), 1, CRITERIA[0], Role.PRIMARY, w, "bpb(A) - bpb(C)", net, 1 - rules.alpha(),
                net.pValue(rules.minEffectBpb(), -rules.minEffectBpb()), unpaired(a, c, Measured::bpb), "none (primary)",
                f("%s: bpb(A) - bpb(C) = %s; %s", w.word(), show(net), reading(w, "C, the smaller vocabulary filling the cap, beats A",
                        "A beats C: the longer sequences erase the gain", rules.minEffectBpb(), a, c)), evidence);
    }

    /** Criterion 2 as calibration: bytes(A) - bytes(B) on the files, per part, over the sweep's prediction. */
    static Verdict bytesFreed(Design d, Map<Long, Measured> a, Map<Long, Measured> b, Rules rules) {
        double head = meanDiff(a, b, m -> m.bytes().head()), tokenizer = meanDiff(a, b, m -> m.bytes().tokenizer());
        double trunk = meanDiff(a, b, m -> m.bytes().trunk()), norms = meanDiff(a, b, m -> m.bytes().norms());
        double overhead = meanDiff(a, b, m -> m.bytes().overhead()), total = meanDiff(a, b, m -> m.artifactBytes());
        double ratio = total / d.predictedBytesFreed();
        double tol = rules.bytesTolerance();
        Word w = ratio < 1 - tol ? Word.FAILS : Word.HOLDS;
        int n = (int) a.keySet().stream().filter(b::containsKey).count();
        PairedInterval shown = new PairedInterval(n, ratio, Double.NaN, Double.NaN, Double.NaN);
        String calibrated = Math.abs(ratio - 1) <= tol ? f("within the tolerance +/-%.0f%%: the budget model is calibrated", 100 * tol)
                : ratio > 1 + tol ? f("beyond +%.0f%%: more freed than predicted, the budget model is off (conservative)", 100 * tol)
                : f("short by more than %.0f%%: the saving the hypothesis counts on is not there", 100 * tol);
        List<String> evidence = List.of(
                f("head (embedding / tied output): %,.0f measured against %,d predicted (x%.3f)", head, d.predictedHeadFreed(),
                        head / d.predictedHeadFreed()),
                f("tokenizer asset: %,.0f measured against %,d predicted (x%.3f)", tokenizer, d.predictedTokenizerFreed(),
                        tokenizer / d.predictedTokenizerFreed()),
                f("trunk %+,.0f, norms %+,.0f, container overhead %+,.0f: predicted 0 (A and B share them by design; the codec's context moves them a little)",
                        trunk, norms, overhead),
                f("A %s: %,.0f bytes on file, B %s: %,.0f (means over %d seeds; no seed interval: the counts barely move with the seed)",
                        d.a(), mean(a, m -> m.artifactBytes()), d.b(), mean(b, m -> m.artifactBytes()), n));
        return new Verdict(d.pair(), d.plan(), 2, CRITERIA[1], Role.CALIBRATION, w, "measured / predicted bytes(A) - bytes(B)", shown,
                Double.NaN, Double.NaN, Double.NaN, f("tolerance %.2f", tol),
                f("%s: %,.0f bytes freed on the files against %,d predicted, x%.3f (head x%.3f); %s", w.word(), total, d.predictedBytesFreed(), ratio,
                        head / d.predictedHeadFreed(), calibrated), evidence);
    }

    /** Criterion 3: bpb(B) - bpb(C), Holm-adjusted, beside the exchange rate of head bytes into trunk bytes. */
    static Verdict reinvestment(Design d, Map<Long, Measured> a, Map<Long, Measured> b, Map<Long, Measured> c, Rules rules, List<String> matched,
                                PairedInterval gain, Adjusted holm) {
        Word w = gate(word(gain, rules.minEffectBpb(), -rules.minEffectBpb()), b, c);
        // per seed: bpb per 100 kB, so that a seed's bytes and bpb stay together
        PairedInterval gained = perSeed(b, c, (x, y) -> (x.bpb() - y.bpb()) / ((y.artifactBytes() - x.artifactBytes()) / 1e5));
        PairedInterval lost = perSeed(b, a, (x, y) -> (x.bpb() - y.bpb()) / ((y.artifactBytes() - x.artifactBytes()) / 1e5));
        List<String> evidence = new ArrayList<>();
        evidence.add(f("exchange rate: %s bpb gained per 100 kB moved into the trunk (B -> C), against %s bpb lost per 100 kB taken "
                + "from the head (A -> B): the exchange pays when the first exceeds the second (95%%, unadjusted)", show(gained), show(lost)));
        evidence.add(f("bpb B %.4f, C %.4f, A %.4f (means); bytes moved into the trunk %,.0f, taken from the head %,.0f (means)",
                mean(b, Measured::bpb), mean(c, Measured::bpb), mean(a, Measured::bpb), meanDiff(c, b, m -> m.artifactBytes()),
                meanDiff(a, b, m -> m.artifactBytes())));
        evidence.add(spread(gain, unpaired(b, c, Measured::bpb)));
        evidence.add(adjusted(holm, gain));
        evidence.addAll(matched);
        evidence.addAll(learning(b, c));
        return new Verdict(d.pair(), d.plan(), 3, CRITERIA[2], Role.SECONDARY, w, "bpb(B) - bpb(C)", gain, 1 - holm.alpha(), holm.adjustedP(),
                unpaired(b, c, Measured::bpb), "Holm", f("%s: bpb(B) - bpb(C) = %s (Holm-adjusted %.1f%% interval); %s", w.word(), show(gain),
                100 * (1 - holm.alpha()), reading(w, "the grown trunk turns the freed bytes into lower bpb", "the grown trunk is worse than A's trunk",
                        rules.minEffectBpb(), b, c)), evidence);
    }

    /** Criterion 4: (A - C out of domain) - (A - C on val), Holm-adjusted, with each arm's change split into its two factors. */
    static Verdict durability(Design d, Map<Long, Measured> a, Map<Long, Measured> c, Rules rules, PairedInterval did, Adjusted holm) {
        double delta = rules.minEffectBpb();
        Word raw = did.lower() > -delta ? Word.HOLDS : did.upper() < -delta ? Word.FAILS : Word.INCONCLUSIVE;
        Word w = gate(raw, a, c);
        List<String> evidence = new ArrayList<>();
        evidence.add(f("net gain bpb(A) - bpb(C): %s out of domain, %s on val (95%%, unadjusted)", show(diff(a, c, Measured::heldoutBpb)),
                show(diff(a, c, Measured::bpb))));
        evidence.add(spread(did, unpaired(a, c, HypothesisVerdicts::oodChange)));
        evidence.add(adjusted(holm, did));
        for (Map.Entry<String, Map<Long, Measured>> e : List.of(Map.entry("A", a), Map.entry("C", c))) {
            Map<Long, Measured> arm = e.getValue();
            evidence.add(f("%s, val -> out of domain: bpb x%s = tokens per byte x%s (tokenizer) x nats per token x%s (model)", e.getKey(),
                    showRatio(PairedInterval.of(arm.values().stream().mapToDouble(m -> m.heldoutBpb() / m.bpb()).toArray())),
                    showRatio(PairedInterval.of(arm.values().stream().mapToDouble(m -> m.heldoutTokensPerByte() / m.tokensPerByte()).toArray())),
                    showRatio(PairedInterval.of(arm.values().stream().mapToDouble(HypothesisVerdicts::natsPerTokenFactor).toArray()))));
        }
        evidence.add(f("tokens per byte, V=%d: train %.4f -> val %.4f (%+.1f%%) -> out of domain %.4f (%+.1f%%)", d.smallVocab(), d.small().train(),
                d.small().val(), 100 * d.small().trainToVal(), d.small().heldout(), 100 * d.small().valToHeldout()));
        evidence.add(f("tokens per byte, V=%d: train %.4f -> val %.4f (%+.1f%%) -> out of domain %.4f (%+.1f%%)", d.largeVocab(), d.large().train(),
                d.large().val(), 100 * d.large().trainToVal(), d.large().heldout(), 100 * d.large().valToHeldout()));
        evidence.addAll(learning(a, c));
        String reading = switch (w) {
            case HOLDS -> "the net gain out of domain is not smaller than on val by the minimum effect " + delta;
            case FAILS -> "the net gain shrinks out of domain by more than the minimum effect " + delta + ": part of it is the tokenizer's fit to its text";
            case INCONCLUSIVE -> inconclusive(delta, a, c);
        };
        return new Verdict(d.pair(), d.plan(), 4, CRITERIA[3], Role.SECONDARY, w, "(A - C out of domain) - (A - C on val)", did, 1 - holm.alpha(),
                holm.adjustedP(), unpaired(a, c, HypothesisVerdicts::oodChange), "Holm",
                f("%s: difference in differences = %s (Holm-adjusted %.1f%% interval); %s", w.word(), show(did), 100 * (1 - holm.alpha()), reading),
                evidence);
    }

    /** The bpb differences of A and C at every evaluation step both logged, paired by seed: the primary endpoint as training went. */
    public static List<Step> trajectory(Map<Long, NavigableMap<Long, Double>> a, Map<Long, NavigableMap<Long, Double>> c, double alpha) {
        TreeSet<Long> steps = new TreeSet<>();
        a.values().forEach(m -> steps.addAll(m.keySet()));
        List<Step> out = new ArrayList<>();
        for (long step : steps) {
            Map<Long, Double> x = new TreeMap<>(), y = new TreeMap<>();
            for (long seed : a.keySet()) {
                Double va = a.get(seed).get(step);
                NavigableMap<Long, Double> cs = c.get(seed);
                Double vc = cs == null ? null : cs.get(step);
                if (va != null && vc != null) {
                    x.put(seed, va);
                    y.put(seed, vc);
                }
            }
            if (!x.isEmpty()) out.add(new Step(step, PairedInterval.paired(x, y).atLevel(alpha)));
        }
        return out;
    }

    /** The decision rule of DESIGN.md: the whole interval beyond + or - the minimum effect, else inconclusive. */
    public static Word word(PairedInterval i, double minEffect) {
        return word(i, minEffect, -minEffect);
    }

    private static Word word(PairedInterval i, double holdsAbove, double failsBelow) {
        if (i.lower() > holdsAbove) return Word.HOLDS;
        if (i.upper() < failsBelow) return Word.FAILS;
        return Word.INCONCLUSIVE;
    }

    /** A difference between arms of which one was still learning measures optimisation speed: it cannot hold or fail. */
    private static Word gate(Word w, Map<Long, Measured> x, Map<Long, Measured> y) {
        return learning(x, y).isEmpty() ? w : Word.INCONCLUSIVE;
    }

    private static List<String> learning(Map<Long, Measured> x, Map<Long, Measured> y) {
        List<String> out = new ArrayList<>();
        for (Measured m : sorted(x, y)) {
            if (m.stillLearning()) {
                out.add(f("%s seed %d was still learning (val bpb moved %.4f over the last 10%% of steps): this comparison measures "
                        + "optimisation speed, so it reads inconclusive", m.candidate(), m.seed(), m.tailMoveBpb()));
            }
        }
        return out;
    }

    private static List<Measured> sorted(Map<Long, Measured> x, Map<Long, Measured> y) {
        List<Measured> all = new ArrayList<>(x.values());
        all.addAll(y.values());
        all.sort(Comparator.comparing(Measured::candidate).thenComparingLong(Measured::seed));
        return all;
    }

    private static String reading(Word w, String holds, String fails, double minEffect, Map<Long, Measured> x, Map<Long, Measured> y) {
        return switch (w) {
            case HOLDS -> holds + " by more than the minimum effect " + minEffect;
            case FAILS -> fails + " by more than the minimum effect " + minEffect;
            case INCONCLUSIVE -> inconclusive(minEffect, x, y);
        };
    }

    private static String inconclusive(double minEffect, Map<Long, Measured> x, Map<Long, Measured> y) {
        return learning(x, y).isEmpty() ? "the interval reaches inside +/- " + minEffect + " bpb (or too few seeds to bound it)"
                : "a run it rests on was still learning, so the difference measures optimisation speed";
    }

    private static String spread(PairedInterval i, double unpaired) {
        return f("standard deviation over seeds: paired %.4f, unpaired %.4f (the arms as if independent)%s", i.std(), unpaired,
                unpaired > 0 && i.std() < unpaired ? f(": pairing by seed removes %.0f%% of the variance", 100 * (1 - i.std() * i.std() / (unpaired * unpaired))) : "");
    }

    private static String adjusted(Adjusted h, PairedInterval shown) {
        return f("Holm: raw p %.4f, rank %d of the family, tested at alpha %.4f -> %s; adjusted p %.4f; interval shown at %.2f%%",
                h.p(), h.rank(), h.alpha(), h.rejected() ? "decided" : "not decided", h.adjustedP(), 100 * (1 - h.alpha()));
    }

    /** A criterion's out-of-domain minus val bpb for one artifact: the per-arm change the difference in differences pairs. */
    private static double oodChange(Measured m) {
        return m.heldoutBpb() - m.bpb();
    }

    /** bpb = tokens per byte x nats per token / ln 2, so the val -> out-of-domain ratio of bpb splits into the two factors. */
    private static double natsPerTokenFactor(Measured m) {
        return (m.heldoutBpb() / m.heldoutTokensPerByte()) / (m.bpb() / m.tokensPerByte());
    }

    private static Role role(int number) {
        return switch (number) {
            case 1 -> Role.PRIMARY;
            case 2 -> Role.CALIBRATION;
            default -> Role.SECONDARY;
        };
    }

    /** A and C are compared at matched bytes only when both files land in the fill band. */
    private static List<String> matchedBytes(Map<Long, Measured> a, Map<Long, Measured> c) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Map<Long, Measured>> e : List.of(Map.entry("A", a), Map.entry("C", c))) {
            boolean band = e.getValue().values().stream().allMatch(Measured::inBand);
            out.add(f("%s's artifact fills %.1f%% of the cap on file (mean)%s", e.getKey(), 100 * mean(e.getValue(), Measured::fill),
                    band ? "" : ": outside the fill band, so this comparison is not at matched bytes"));
        }
        // How far apart the two are, beside how far each is from the band: a reader weighs the flag by it.
        out.add(f("A and C differ by %.1f%% of the cap between them (mean fill on file)", 100 * Math.abs(mean(a, Measured::fill) - mean(c, Measured::fill))));
        return out;
    }

    private static Map<Long, Measured> bySeed(List<Measured> rows, String candidate) {
        return rows.stream().filter(r -> r.candidate().equals(candidate)).collect(Collectors.toMap(Measured::seed, r -> r, (x, y) -> x, TreeMap::new));
    }

    private static PairedInterval diff(Map<Long, Measured> x, Map<Long, Measured> y, ToDoubleFunction<Measured> value) {
        return PairedInterval.paired(values(x, value), values(y, value));
    }

    private static double unpaired(Map<Long, Measured> x, Map<Long, Measured> y, ToDoubleFunction<Measured> value) {
        return PairedInterval.unpairedStd(values(x, value), values(y, value));
    }

    private static PairedInterval perSeed(Map<Long, Measured> x, Map<Long, Measured> y, java.util.function.ToDoubleBiFunction<Measured, Measured> f) {
        return PairedInterval.of(x.keySet().stream().filter(y::containsKey).mapToDouble(s -> f.applyAsDouble(x.get(s), y.get(s))).toArray());
    }

    private static double meanDiff(Map<Long, Measured> x, Map<Long, Measured> y, ToDoubleFunction<Measured> value) {
        return diff(x, y, value).mean();
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

    private static String showRatio(PairedInterval i) {
        if (i.n() < 2) return f("%.3f", i.mean());
        return f("%.3f [%.3f, %.3f]", i.mean(), i.lower(), i.upper());
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
