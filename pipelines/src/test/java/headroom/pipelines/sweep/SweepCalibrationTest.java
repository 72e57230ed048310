package headroom.pipelines.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import headroom.artifact.quant.PrecisionPlan;
import headroom.core.TensorClass;
import headroom.model.ArtifactEstimate;
import headroom.model.BudgetFit;
import headroom.model.ModelConfig;
import headroom.model.ParameterCount;
import headroom.model.TrainConfig;
import headroom.model.nn.LmModel;
import headroom.model.train.Trainer;
import headroom.pipelines.DemoSlice;
import headroom.pipelines.Headroom;
import headroom.pipelines.sweep.SweepRows.Candidate;
import headroom.pipelines.train.CandidateModel;
import headroom.scoring.ArtifactRoundTrip;
import headroom.scoring.EvalTexts;
import headroom.tokenizer.BpeConfig;
import headroom.tokenizer.BpeModel;
import headroom.tokenizer.BpeTrainer;
import headroom.tokenizer.TokenizerAsset;
import headroom.tokenizer.WordCounts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sweep's short calibration against the real thing, without Spark: a v512 model calibrated on 10 steps predicts the
 * artifact the same model writes after 80 steps within 1%, where the priors (0.95 bytes per parameter, 4,096 bytes of
 * overhead) do not.
 */
class SweepCalibrationTest {

    private static final String INT8 = "emb=int8,attn=int8,mlp=int8,norm=fp16,clip=none,outliers=0";

    @Test
    void theCalibratedEstimateLandsWithinOnePercentOfATrainedModelsArtifact(@TempDir Path dir) throws Exception {
        List<String> docs = DemoSlice.lines(1500);
        BpeModel tokenizer = new BpeTrainer(BpeConfig.of(512)).train(WordCounts.of(docs));
        BudgetFit.Recipe recipe = RecipeConf.from(Headroom.conf(null, "model.head-size=16", "model.queries-per-kv-head=1",
                "model.unique-blocks=1", "model.loops=2", "model.mlp-mult=4"));
        Candidate c = new Candidate("v512-tied-d96-1x2-m4", "C", "512/2048", 512, "tied", 0, 96, 1, 2, 4, INT8, 0, 0, 0, 0, 0.99, true, "", 0,
                0.44, 0.45, 64, 145, 0);
        ModelConfig config = CandidateModel.config(c, recipe);
        TrainConfig train = new TrainConfig(16, 64, 3e-3, 3e-4, 5, TrainConfig.Decay.COSINE, 0.1, 0.9, 0.95, 1e-8, 1.0, 80, 0, 0, 1000, 8,
                1000, 20, 1337, "cpu", 1);
        PrecisionPlan plan = PrecisionPlan.parse(INT8);

        Map<String, Object> doc = SweepCalibration.measure(List.of(c), Map.of(512, tokenizer), List.of(plan), recipe, train, 10, docs,
                Files.createDirectories(dir.resolve("calibration")));
        JsonNode measured = new ObjectMapper().valueToTree(doc);
        Map<TensorClass, Double> bpp = PlanBytes.byVocab(plan, PlanBytes.measuredOrPrior(plan, Map.of(
                headroom.artifact.quant.QuantFormat.INT8, 0.95, headroom.artifact.quant.QuantFormat.FP16, 2.0), measured), measured).get(512);
        long overhead = PlanBytes.overhead(measured, 4096);
        assertTrue(overhead > 0 && overhead < 4096, "measured overhead " + overhead);
        assertTrue(((Map<?, ?>) doc.get("calibration")).get("seconds") instanceof Double, "the calibration reports its cost");

        // the real thing: the same model trained 80 steps, written under the same plan
        Path model = Files.createDirectories(dir.resolve("model"));
        var stream = EvalTexts.encode(docs, tokenizer);
        new Trainer().run(config, train, stream, stream.firstDocuments(8), tokenizer.tokenByteLengths(), model, false);
        long file;
        try (LmModel m = LmModel.load(model, headroom.model.Devices.resolve("cpu"))) {
            file = ArtifactRoundTrip.write(dir.resolve("real.hra"), config, m.weights(), plan, tokenizer).bytes().total();
        }
        long tokenizerBytes = TokenizerAsset.encode(tokenizer).length;
        ParameterCount p = ParameterCount.of(config);
        long calibrated = ArtifactEstimate.of(p, bpp, tokenizerBytes, overhead).total();
        long prior = ArtifactEstimate.of(p, Map.of(TensorClass.EMBEDDING_HEAD, 0.95, TensorClass.ATTENTION, 0.95, TensorClass.MLP, 0.95,
                TensorClass.NORM_CONDITIONING, 2.0), tokenizerBytes, 4096).total();
        double error = (double) calibrated / file - 1, priorError = (double) prior / file - 1;
        System.out.printf(Locale.ROOT, "calibration: file %,d bytes; calibrated estimate %,d (%+.2f%%); priors %,d (%+.2f%%)%n", file, calibrated,
                100 * error, prior, 100 * priorError);
        assertEquals(0, error, 0.01, "calibrated estimate " + calibrated + " against the file's " + file);
    }
}
