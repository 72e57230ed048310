package headroom.pipelines.score;

import headroom.scoring.HypothesisVerdicts;
import headroom.scoring.PairedInterval;
import headroom.scoring.ScoreRows;
import headroom.scoring.HypothesisVerdicts.Design;
import headroom.scoring.HypothesisVerdicts.Measured;
import headroom.scoring.HypothesisVerdicts.Parts;
import headroom.scoring.HypothesisVerdicts.Tokenizer;
import headroom.scoring.ScoreRows.CandidateSummaryRow;
import headroom.scoring.ScoreRows.LeaderboardRow;
import headroom.pipelines.sweep.SweepRows.Candidate;
import headroom.pipelines.sweep.SweepRows.VocabMetrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** From the sweep's tables and the scored rows to what the verdicts and the leaderboard summary read. Pure. */
final class Designs {

    private Designs() {
    }

    /**
     * One design per (pair, plan) whose A, B and C rows the sweep wrote (a design whose A has no model is left out): the sweep
     * sizes a design under every precision plan, and each is compared under its own plan. A non-empty {@code protocol} names the
     * training protocol in the pair's label ("512/2048 flops"), for verdicts given once per protocol.
     */
    static List<Design> of(List<Candidate> candidates, List<VocabMetrics> metrics, String protocol) {
        Map<List<String>, Map<String, Candidate>> byDesign = new LinkedHashMap<>();
        for (Candidate c : candidates) {
            if (!c.role().isEmpty()) byDesign.computeIfAbsent(List.of(c.pair(), c.plan()), k -> new LinkedHashMap<>()).put(c.role(), c);
        }
        List<Design> out = new ArrayList<>();
        for (Map.Entry<List<String>, Map<String, Candidate>> e : byDesign.entrySet()) {
            Candidate a = e.getValue().get("A"), b = e.getValue().get("B"), c = e.getValue().get("C");
            if (a == null || b == null || c == null || c.dModel() == 0) continue;
            long tokenizerFreed = tokenizerBytes(metrics, a.vocabSize()) - tokenizerBytes(metrics, b.vocabSize());
            String pair = protocol.isEmpty() ? e.getKey().get(0) : e.getKey().get(0) + " " + protocol;
            out.add(new Design(pair, e.getKey().get(1), b.vocabSize(), a.vocabSize(), a.name(), b.name(), c.name(),
                    a.estimatedBytes() - b.estimatedBytes(), tokenizerFreed, tokenizer(metrics, b.vocabSize()), tokenizer(metrics, a.vocabSize())));
        }
        return out;
    }

    private static long tokenizerBytes(List<VocabMetrics> metrics, int vocabSize) {
        return metrics.stream().filter(x -> x.vocabSize() == vocabSize).mapToLong(VocabMetrics::tokenizerBytes).findFirst().orElse(0);
    }

    private static Tokenizer tokenizer(List<VocabMetrics> metrics, int vocabSize) {
        Optional<VocabMetrics> m = metrics.stream().filter(x -> x.vocabSize() == vocabSize).findFirst();
        return m.map(x -> new Tokenizer(x.trainTokensPerByte(), x.valTokensPerByte(), x.heldoutTokensPerByte()))
                .orElse(new Tokenizer(Double.NaN, Double.NaN, Double.NaN));
    }

    /** The sizing plan's rows: the artifact each candidate was sized for, one per seed. */
    static List<Measured> measured(List<LeaderboardRow> rows) {
        return rows.stream().filter(LeaderboardRow::sizingPlan)
                .map(r -> new Measured(r.candidate(), r.seed(), r.bpbPost(), r.bpbPre(), r.heldoutBpb(), r.tokensPerByte(), r.heldoutTokensPerByte(),
                        new Parts(r.embeddingHeadBytes(), r.trunkBytes(), r.normsBytes(), r.tokenizerBytes(), r.overheadBytes()), r.fill(), r.inBand(),
                        r.stillLearning(), r.tailMoveBpb())).toList();
    }

    /** Mean, sample standard deviation and n over seeds, per (candidate, plan, protocol), best mean first. */
    static List<CandidateSummaryRow> summary(List<LeaderboardRow> rows) {
        Map<List<String>, List<LeaderboardRow>> groups = new LinkedHashMap<>();
        for (LeaderboardRow r : rows) groups.computeIfAbsent(List.of(r.candidate(), r.plan(), r.protocolName()), k -> new ArrayList<>()).add(r);
        List<CandidateSummaryRow> out = new ArrayList<>();
        for (List<LeaderboardRow> g : groups.values()) {
            LeaderboardRow first = g.get(0);
            out.add(new CandidateSummaryRow(first.candidate(), first.plan(), g.size(), mean(g, LeaderboardRow::bpbPost), std(g, LeaderboardRow::bpbPost),
                    mean(g, LeaderboardRow::heldoutBpb), std(g, LeaderboardRow::heldoutBpb), mean(g, r -> r.artifactBytes()),
                    mean(g, LeaderboardRow::fill), g.stream().allMatch(LeaderboardRow::valid), first.seqLen(), first.protocol()));
        }
        out.sort(Comparator.comparing((CandidateSummaryRow s) -> !s.allValid()).thenComparingDouble(CandidateSummaryRow::bpbPostMean));
        return out;
    }

    private static double mean(List<LeaderboardRow> g, java.util.function.ToDoubleFunction<LeaderboardRow> f) {
        return g.stream().mapToDouble(f).average().orElse(Double.NaN);
    }

    private static double std(List<LeaderboardRow> g, java.util.function.ToDoubleFunction<LeaderboardRow> f) {
        return g.size() < 2 ? Double.NaN : PairedInterval.of(g.stream().mapToDouble(f).toArray()).std();
    }
}
