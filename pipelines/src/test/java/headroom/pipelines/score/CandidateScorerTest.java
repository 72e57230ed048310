package headroom.pipelines.score;

import headroom.scoring.ArtifactRoundTrip;
import headroom.scoring.EvalTexts;
import ai.djl.Device;
import headroom.artifact.quant.PrecisionPlan;
import headroom.pipelines.score.CandidateScorer.EvalSet;
import headroom.pipelines.score.CandidateScorer.Scored;
import headroom.tokenizer.BpeModel;
import headroom.core.TokenStream;
import headroom.model.ModelConfig;
import headroom.core.TensorClass;
import headroom.core.WeightTensor;
import headroom.model.nn.LmModel;
import headroom.model.nn.ModelFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CandidateScorerTest {

    private static final PrecisionPlan INT8 = PrecisionPlan.parse("emb=int8,attn=int8,mlp=int8,norm=fp16");
    /** Bytes only: 256 byte tokens + BOS, so every ASCII character is one token. */
    private static final BpeModel BYTES = new BpeModel(List.of("<|bos|>"), List.of());

    @TempDir
    Path tmp;

    private static ModelConfig config(int vocabSize) {
        return new ModelConfig(vocabSize, 32, 2, 1, 1, 2, 2, ModelConfig.Activation.RELU2, ModelConfig.HeadMode.TIED, 0,
                ModelConfig.Conditioning.LOOP_GAIN, false, 10_000, 30, 32);
    }

    /** A trained-model folder whose weights come from {@code seed}, with the embedding/head zeroed when {@code uniform}. */
    private Path modelDir(String name, boolean uniform) throws Exception {
        Path dir = tmp.resolve("models").resolve(name);
        try (LmModel model = new LmModel(config(257), Device.cpu(), 7)) {
            List<WeightTensor> weights = model.weights().stream()
                    .map(w -> uniform && w.tensorClass() == TensorClass.EMBEDDING_HEAD
                            ? new WeightTensor(w.name(), w.tensorClass(), w.shape(), new float[w.values().length]) : w)
                    .toList();
            ModelFiles.write(dir, model.config(), weights);
        }
        return dir;
    }

    private static List<Scored> score(Path dir, List<String> docs, Path artifacts) throws Exception {
        TokenStream val = EvalTexts.encode(docs, BYTES);
        Files.createDirectories(artifacts);
        return new CandidateScorer(Device.cpu(), 4, List.of(3), 1_000_000, 0.02)
                .score(TrainedModel.read(dir), BYTES, new EvalSet(val, null, BYTES.tokenByteLengths()), List.of(INT8), artifacts, 0.93);
    }

    @Test
    void aModelWithConstantLogitsScoresLog2VTimesTargetsPerByte() throws Exception {
        // tied zero embeddings: logits = rmsnorm(x) . 0 = 0 for every id, soft-capped to 0: the uniform distribution over 257 ids.
        // [BOS] h e l l o _ w o r l d [BOS] a b c: 16 tokens, 15 targets, 14 text bytes
        List<Scored> scored = score(modelDir("uniform", true), List.of("hello world", "abc"), tmp.resolve("artifacts"));
        double expected = Math.log(257) / Math.log(2) * 15 / 14; // 8.5774549
        assertEquals(8.5774549, expected, 1e-7);
        var row = scored.get(0).row();
        assertEquals(expected, row.bpbPre(), 1e-6 * expected, "the trained weights");
        assertEquals(expected, row.bpbPost(), 1e-6 * expected, "zeros survive int8 exactly, so the round trip changes nothing");
        for (var r : scored.get(0).refinements()) assertEquals(expected, r.bpb(), 1e-6 * expected, "constant logits at any loop count L'=" + r.loops());
        assertEquals(1.0, row.tokensPerByte(), 1e-12, "14 non-BOS tokens over 14 bytes: BOS is not counted");
    }

    @Test
    void theArtifactIsSelfContainedAndItsByteCountIsItsFileSize() throws Exception {
        Path artifacts = tmp.resolve("artifacts");
        List<String> docs = List.of("It is a truth universally acknowledged, that a single man in possession of a good fortune,",
                "must be in want of a wife.");
        Scored s = score(modelDir("v257-tied-d32-1x2", false), docs, artifacts).get(0);
        Path file = artifacts.resolve("v257-tied-d32-1x2__emb-int8_attn-int8_mlp-int8_norm-fp16.hra");
        assertEquals(file.getFileName().toString(), s.row().artifact());
        assertEquals(Files.size(file), s.row().artifactBytes());
        assertEquals(s.row().artifactBytes(), s.row().embeddingHeadBytes() + s.row().trunkBytes() + s.row().normsBytes()
                + s.row().tokenizerBytes() + s.row().overheadBytes(), "the parts sum to the file");
        ArtifactRoundTrip.ReadBack back = ArtifactRoundTrip.read(file);
        assertEquals(config(257), back.config(), "the model spec travels in the header");
        assertTrue(back.tokenizer().sameMerges(BYTES));
        assertTrue(Double.isFinite(s.row().bpbPost()));
        assertTrue(Math.abs(s.row().gap()) < 0.01, "int8 per-row costs a random-init model almost nothing, gap " + s.row().gap());
        assertEquals(List.of(2, 3), s.refinements().stream().map(r -> r.loops()).toList(), "the trained L=2 and L'=3");
        assertTrue(s.refinements().get(0).trained());
        assertFalse(s.refinements().get(1).trained());
        assertEquals(s.row().bpbPost(), s.refinements().get(0).bpb(), "the trained L's row is the score itself");
        assertEquals(0.93 * 257 * 32, s.row().predictedHeadBytes(), 1e-9, "tied head: V x d parameters at the sweep's 0.93 bytes each");
    }
}
