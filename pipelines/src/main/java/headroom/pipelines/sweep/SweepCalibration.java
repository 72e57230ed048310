package headroom.pipelines.sweep;

import ai.djl.Device;
import headroom.artifact.ArtifactBytes;
import headroom.artifact.quant.PrecisionPlan;
import headroom.core.TensorClass;
import headroom.core.TokenStream;
import headroom.model.CandidateNames;
import headroom.model.Devices;
import headroom.model.ModelConfig;
import headroom.model.TrainConfig;
import headroom.model.nn.LmModel;
import headroom.model.train.Trainer;
import headroom.pipelines.sweep.SweepRows.Candidate;
import headroom.pipelines.train.CandidateModel;
import headroom.scoring.ArtifactRoundTrip;
import headroom.scoring.EvalTexts;
import headroom.tokenizer.BpeModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The short calibration a sweep runs when no scored run's {@code bytes-per-param.json} is named: each designed
 * vocabulary's cap-filling model (sized on the priors) trains a few steps on the first train documents, is written
 * as a real artifact under every precision plan, and its measured bytes per parameter by tensor class and its
 * container overhead replace the priors. The result has {@code bytes-per-param.json}'s layout, so the budget reads it
 * the same way; its {@code calibration} entry records what it cost.
 * <p>The full run's weights compress a little differently from a few steps' weights; how far each estimate lands from
 * its file is on the leaderboard (estimated_bytes against artifact_bytes) and in BENCHMARKS.md.
 */
final class SweepCalibration {

    private static final Logger LOG = LoggerFactory.getLogger(SweepCalibration.class);

    private SweepCalibration() {
    }

    /**
     * @param models    the designed A and C rows sized on the priors (one model per vocabulary is trained: the first row of it)
     * @param train     the run's train settings; the steps, T and seed are the calibration's
     * @param documents the first train documents in doc_id order, enough for {@code steps} batches
     */
    static Map<String, Object> measure(List<Candidate> models, Map<Integer, BpeModel> tokenizers, List<PrecisionPlan> plans,
                                       headroom.model.BudgetFit.Recipe recipe, TrainConfig train, int steps, List<String> documents,
                                       Path workDir) throws IOException {
        long t0 = System.nanoTime();
        Map<Integer, Candidate> byVocab = new LinkedHashMap<>();
        for (Candidate c : models) if (c.dModel() > 0) byVocab.putIfAbsent(c.vocabSize(), c);
        Map<String, Map<String, Object>> byPlanVocab = new LinkedHashMap<>();
        for (PrecisionPlan p : plans) byPlanVocab.put(p.name(), new LinkedHashMap<>());
        long overhead = 0;
        List<String> trained = new ArrayList<>();
        for (Candidate c : byVocab.values()) {
            BpeModel tokenizer = tokenizers.get(c.vocabSize());
            ModelConfig config = CandidateModel.config(c, recipe);
            TokenStream stream = EvalTexts.encode(documents, tokenizer);
            Path dir = Files.createDirectories(workDir.resolve(c.name()));
            TrainConfig run = train.forRun(c.seqLen(), steps, 0, train.seed());
            long ts = System.nanoTime();
            new Trainer().run(config, run, stream, stream.firstDocuments(Math.min(8, Math.max(1, documents.size()))), tokenizer.tokenByteLengths(),
                    dir, false);
            Device device = Devices.resolve(train.device());
            try (LmModel model = LmModel.load(dir, device)) {
                for (PrecisionPlan plan : plans) {
                    Path file = workDir.resolve(CandidateNames.artifact(c.name(), plan.name()));
                    ArtifactBytes bytes = ArtifactRoundTrip.write(file, config, model.weights(), plan, tokenizer).bytes();
                    Map<String, Object> e = new LinkedHashMap<>();
                    bytes.bytesPerParameter().forEach((k, v) -> e.put(k.name(), v));
                    e.put("artifacts", 1);
                    e.put("file_bytes", bytes.total());
                    byPlanVocab.get(plan.name()).put(CandidateNames.vocab(c.vocabSize()), e);
                    overhead = Math.max(overhead, bytes.overhead());
                    LOG.info(String.format(Locale.ROOT, "sweep calibration: %s | %s | %,d bytes | bytes per parameter %s | overhead %d",
                            c.name(), plan.name(), bytes.total(), bytes.bytesPerParameter(), bytes.overhead()));
                }
            }
            trained.add(String.format(Locale.ROOT, "%s (%d steps, %.1f s)", c.name(), steps, (System.nanoTime() - ts) / 1e9));
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        Map<String, Object> byPlan = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, Object>> e : byPlanVocab.entrySet()) byPlan.put(e.getKey(), planMean(e.getValue()));
        doc.put("by_plan", byPlan);
        doc.put("by_plan_vocab", byPlanVocab);
        doc.put("overhead_bytes", overhead);
        Map<String, Object> cost = new LinkedHashMap<>();
        cost.put("steps", steps);
        cost.put("documents", documents.size());
        cost.put("models", trained);
        cost.put("seconds", Math.round((System.nanoTime() - t0) / 1e7) / 100.0);
        doc.put("calibration", cost);
        return doc;
    }

    /** A plan's bytes per parameter over its vocabularies: the fallback for a vocabulary the calibration did not train. */
    private static Map<String, Object> planMean(Map<String, Object> byVocab) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (TensorClass c : TensorClass.values()) {
            double mean = byVocab.values().stream().map(v -> ((Map<?, ?>) v).get(c.name())).filter(x -> x instanceof Double)
                    .mapToDouble(x -> (Double) x).average().orElse(Double.NaN);
            if (!Double.isNaN(mean)) out.put(c.name(), mean);
        }
        return out;
    }
}
