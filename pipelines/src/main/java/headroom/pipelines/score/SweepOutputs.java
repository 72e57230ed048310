package headroom.pipelines.score;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import headroom.pipelines.conf.ConfException;
import headroom.pipelines.run.RunLayout;
import headroom.tokenizer.BpeModel;
import headroom.tokenizer.TokenizerJson;
import headroom.core.TensorClass;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What scoring reads from the sweep's finished output: each vocabulary's tokenizer and the bytes per parameter it priced. */
record SweepOutputs(RunLayout run) {

    /** The tokenizer a model of {@code vocabSize} ids was trained with. */
    BpeModel tokenizer(int vocabSize) {
        return TokenizerJson.read(tokenizerFile(vocabSize));
    }

    /** The sweep's {@code tokenizer.json} of {@code vocabSize} ids; an error naming the conf key when the sweep wrote none. */
    Path tokenizerFile(int vocabSize) {
        Path json = run.tokenizerJson(vocabSize);
        if (!Files.isRegularFile(json)) {
            throw new ConfException("a trained model has vocabulary size " + vocabSize + " but the sweep wrote no tokenizer " + json
                    + ": add " + vocabSize + " to headroom.sweep.vocab-sizes and re-run sweep");
        }
        return json;
    }

    /** The bytes per parameter the sweep priced a tensor class at (summary.json); NaN when it did not record them. */
    double bytesPerParameter(TensorClass tensorClass) throws IOException {
        Path file = run.sweepSummary();
        if (!Files.isRegularFile(file)) return Double.NaN;
        JsonNode value = new ObjectMapper().readTree(file.toFile()).path("bytes_per_parameter").path(tensorClass.name());
        return value.isNumber() ? value.asDouble() : Double.NaN;
    }
}
