package headroom.pipelines.score;

import headroom.model.ModelConfig;
import headroom.model.TrainConfig;
import headroom.model.train.TrainResult;
import headroom.model.train.Trainer;
import headroom.pipelines.Headroom;
import headroom.pipelines.run.RunLayout;
import headroom.scoring.EvalTexts;
import headroom.tokenizer.BpeModel;
import headroom.tokenizer.TokenizerJson;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Path;
import java.util.List;

/** Real weights for score tests in seconds: a tied d=32 model, one block looped twice, trained 20 steps on a run's train split. */
final class TinyTrainedModel {

    private TinyTrainedModel() {
    }

    /** Trains it with the sweep's tokenizer of {@code vocabSize} into {@code modelDir}. */
    static TrainResult train(SparkSession spark, Path run, int vocabSize, Path modelDir) throws Exception {
        BpeModel tokenizer = TokenizerJson.read(new RunLayout(run).tokenizerJson(vocabSize));
        List<String> docs = Headroom.corpus(spark, run, "train").orderBy("doc_id").select("text").collectAsList().stream()
                .map(r -> r.getString(0)).toList();
        var train = EvalTexts.encode(docs, tokenizer);
        ModelConfig model = new ModelConfig(vocabSize, 32, 2, 1, 1, 2, 2, ModelConfig.Activation.RELU2, ModelConfig.HeadMode.TIED, 0,
                ModelConfig.Conditioning.LOOP_GAIN, false, 10_000, 30, 32);
        TrainConfig config = new TrainConfig(16, 32, 3e-3, 3e-4, 5, TrainConfig.Decay.COSINE, 0.1, 0.9, 0.95, 1e-8, 1.0, 20, 0, 0, 20, 10,
                100, 10, 1337, "cpu", 1);
        return new Trainer().run(model, config, train, train.firstDocuments(10), tokenizer.tokenByteLengths(), modelDir, false);
    }
}
