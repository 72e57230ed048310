package headroom.scoring;

import headroom.model.CandidateNames;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import headroom.artifact.Artifact;
import headroom.artifact.ArtifactReader;
import headroom.artifact.ArtifactWriter;
import headroom.artifact.Codec;
import headroom.artifact.ContainerHeader;
import headroom.artifact.WrittenArtifact;
import headroom.artifact.quant.PrecisionPlan;
import headroom.artifact.quant.QuantizedTensor;
import headroom.artifact.quant.Quantizer;
import headroom.tokenizer.BpeModel;
import headroom.tokenizer.TokenizerAsset;
import headroom.model.ModelConfig;
import headroom.core.WeightTensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * An artifact's two halves (DESIGN.md, "scoring"): quantize every tensor by the plan and write the
 * file (header = the ModelConfig as JSON + tokenizer id "v{V}"; tokenizer asset appended), then read
 * it back from disk alone: the model config, the dequantized weights and the tokenizer all come from the file.
 */
public final class ArtifactRoundTrip {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What an artifact holds once read back and dequantized. */
    public record ReadBack(ModelConfig config, List<WeightTensor> weights, BpeModel tokenizer, Codec codec, long fileBytes) {
    }

    private ArtifactRoundTrip() {
    }

    public static WrittenArtifact write(Path file, ModelConfig config, List<WeightTensor> weights, PrecisionPlan plan, BpeModel tokenizer)
            throws IOException {
        if (tokenizer.vocabSize() != config.vocabSize()) {
            throw new IllegalArgumentException("tokenizer has " + tokenizer.vocabSize() + " ids but the model expects vocabSize " + config.vocabSize());
        }
        ContainerHeader header = new ContainerHeader(JSON.writeValueAsString(config.toMap()), CandidateNames.vocab(config.vocabSize()));
        List<QuantizedTensor> tensors = weights.stream().map(w -> Quantizer.quantize(w, plan.precisionFor(w))).toList();
        return ArtifactWriter.write(file, header, tensors, TokenizerAsset.encode(tokenizer));
    }

    public static ReadBack read(Path file) throws IOException {
        Artifact artifact = ArtifactReader.read(file);
        ContainerHeader header = artifact.container().header();
        ModelConfig config = ModelConfig.fromMap(JSON.readValue(header.modelSpec(), new TypeReference<Map<String, Object>>() { }));
        BpeModel tokenizer = TokenizerAsset.decode(artifact.tokenizerAsset());
        if (!header.tokenizerId().equals(CandidateNames.vocab(config.vocabSize())) || tokenizer.vocabSize() != config.vocabSize()) {
            throw new IllegalStateException(file + ": tokenizer id " + header.tokenizerId() + " with " + tokenizer.vocabSize()
                    + " ids does not match the model's vocabSize " + config.vocabSize());
        }
        List<WeightTensor> weights = artifact.container().tensors().stream().map(Quantizer::dequantize).toList();
        return new ReadBack(config, weights, tokenizer, artifact.codec(), artifact.fileBytes());
    }
}
