package headroom.pipelines.score;

import headroom.pipelines.score.CandidateScorer.Scored;
import headroom.core.TensorClass;
import headroom.model.CandidateNames;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code artifacts/bytes-per-param.json}: compressed bytes per parameter by tensor class, measured on
 * scored artifacts, for the next sweep's budget (headroom.sweep.budget.measured-bytes-per-param).
 * <p>Per plan, the measurement comes from that plan's best valid artifact (lowest post-roundtrip bpb; the
 * best over-cap one when none is valid): the model a next sweep would build on. The top-level
 * {@code EMBEDDING_HEAD}, {@code ATTENTION}, {@code MLP}, {@code NORM_CONDITIONING} keys, which the sweep
 * reads, are those of the leaderboard's best artifact's plan; {@code source} and {@code by_plan} say where each number comes from.
 * <p>{@code by_plan_vocab} holds, per plan and vocabulary ({@code "v512"}), the mean over every artifact of that plan and
 * vocabulary: the sweep sizes each vocabulary with its own (an embedding's rows compress by how much training moved them).
 * {@code overhead_bytes} is the largest container overhead measured (header, config, tensor directory), which the sweep
 * counts instead of its conf allowance.
 */
final class MeasuredBytesPerParameter {


    private MeasuredBytesPerParameter() {
    }

    static Map<String, Object> document(List<Scored> scored) {
        if (scored.isEmpty()) throw new IllegalArgumentException("no scored artifacts to measure bytes per parameter on");
        Comparator<Scored> best = Comparator.comparing((Scored s) -> !s.row().valid()).thenComparingDouble(s -> s.row().bpbPost());
        Map<String, Object> byPlan = new LinkedHashMap<>();
        for (String plan : scored.stream().map(s -> s.row().plan()).distinct().toList()) {
            Optional<Scored> top = scored.stream().filter(s -> s.row().plan().equals(plan)).min(best);
            byPlan.put(plan, entry(top.orElseThrow()));
        }
        Scored overall = scored.stream().min(best).orElseThrow();
        @SuppressWarnings("unchecked")
        Map<String, Object> doc = new LinkedHashMap<>((Map<String, Object>) byPlan.get(overall.row().plan()));
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("artifact", doc.remove("artifact"));
        source.put("plan", overall.row().plan());
        source.put("valid", doc.remove("valid"));
        source.put("codec", doc.remove("codec"));
        doc.put("source", source);
        doc.put("by_plan", byPlan);
        doc.put("by_plan_vocab", byPlanVocab(scored));
        doc.put("overhead_bytes", scored.stream().mapToLong(x -> x.row().overheadBytes()).max().orElse(0));
        return doc;
    }

    static Map<String, Object> byPlanVocab(List<Scored> scored) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String plan : scored.stream().map(s -> s.row().plan()).distinct().sorted().toList()) {
            Map<String, Object> vocabs = new LinkedHashMap<>();
            for (int v : scored.stream().filter(s -> s.row().plan().equals(plan)).mapToInt(s -> s.row().vocabSize()).distinct().sorted().toArray()) {
                List<Scored> g = scored.stream().filter(s -> s.row().plan().equals(plan) && s.row().vocabSize() == v).toList();
                Map<String, Object> e = new LinkedHashMap<>();
                for (TensorClass c : TensorClass.values()) {
                    double mean = g.stream().map(s -> s.bytesPerParameter().get(c)).filter(x -> x != null).mapToDouble(Double::doubleValue)
                            .average().orElse(Double.NaN);
                    if (!Double.isNaN(mean)) e.put(c.name(), mean);
                }
                e.put("artifacts", g.size());
                vocabs.put(CandidateNames.vocab(v), e);
            }
            out.put(plan, vocabs);
        }
        return out;
    }

    private static Map<String, Object> entry(Scored s) {
        Map<String, Object> e = new LinkedHashMap<>();
        for (TensorClass c : TensorClass.values()) {
            Double v = s.bytesPerParameter().get(c);
            if (v != null) e.put(c.name(), v);
        }
        e.put("artifact", s.row().artifact());
        e.put("valid", s.row().valid());
        e.put("codec", s.row().codec());
        return e;
    }
}
