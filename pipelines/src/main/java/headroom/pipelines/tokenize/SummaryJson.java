package headroom.pipelines.tokenize;

import headroom.model.CandidateNames;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The content of the shards' summary.json ({@link headroom.pipelines.run.RunLayout#shardsSummary()}), also recorded in the run manifest. */
final class SummaryJson {

    private SummaryJson() {
    }

    static Map<String, Object> of(List<Integer> vocabSizes, boolean parameterGolfExport, int partitions,
                                  List<SplitTotals> totals, Map<String, Object> timing, double seconds) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("vocab_sizes", vocabSizes);
        summary.put("parameter_golf_export", parameterGolfExport);
        summary.put("partitions", partitions);
        Map<String, Map<String, Object>> bySize = new LinkedHashMap<>();
        for (SplitTotals t : totals) bySize.computeIfAbsent(CandidateNames.vocab(t.vocabSize()), k -> new LinkedHashMap<>()).put(t.split(), t.toMap());
        summary.put("shards", bySize);
        summary.put("byte_audit", "passed on every document of every split at every size");
        summary.put("timing", timing);
        long tokens = totals.stream().mapToLong(SplitTotals::tokens).sum();
        summary.put("seconds", round(seconds));
        summary.put("tokens_per_second", Math.round(tokens / Math.max(seconds, 1e-9)));
        return summary;
    }

    /**
     * One split's pass: every size encodes each document in the same pass, so the wall-clock text
     * MB/s is corpus text read, partitioned and encoded by all sizes, and tokens/s sums the sizes.
     * The encoder MB/s is one tokenizer's own speed: text bytes times sizes over the time spent
     * inside the tokenizers (summed over tasks, so it does not grow with executors).
     */
    static Map<String, Object> timing(List<SplitTotals> splitTotals, double seconds, double encodeSeconds) {
        long textBytes = splitTotals.isEmpty() ? 0 : splitTotals.get(0).textBytes();
        long tokens = splitTotals.stream().mapToLong(SplitTotals::tokens).sum();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seconds", round(seconds));
        m.put("text_mb_per_second", round(textBytes / 1e6 / Math.max(seconds, 1e-9)));
        m.put("tokens_per_second", Math.round(tokens / Math.max(seconds, 1e-9)));
        m.put("encoder_seconds", round(encodeSeconds));
        m.put("encoder_mb_per_second", round(textBytes * splitTotals.size() / 1e6 / Math.max(encodeSeconds, 1e-9)));
        return m;
    }

    private static double round(double x) {
        return Math.round(x * 100) / 100.0;
    }
}
