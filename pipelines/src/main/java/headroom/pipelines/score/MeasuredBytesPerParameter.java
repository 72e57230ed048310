package headroom.pipelines.score;

import headroom.pipelines.score.CandidateScorer.Scored;
import headroom.core.TensorClass;

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
        return doc;
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
