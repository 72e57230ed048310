package headroom.tokenizer;

import headroom.core.ByteAudit;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Exactness on real text: one training run, every size of a small sweep checked against HuggingFace. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DemoCorpusTest {
    private static final int[] SIZES = {257, 512, 1024, 2048};
    private static final int LARGEST = 2048;

    @TempDir
    Path dir;

    private List<String> train;
    private Map<Bytes, Long> wordCounts;
    private BpeModel model;

    @BeforeAll
    void trainOnce() {
        train = DemoCorpus.train();
        wordCounts = WordCounts.of(train);
        model = new BpeTrainer(BpeConfig.of(LARGEST)).train(wordCounts);
    }

    private Path export(BpeModel sized, String name) throws IOException {
        Path file = dir.resolve(name + ".json");
        TokenizerJson.write(sized, file);
        return file;
    }

    @Test
    void trainerTokenCountEqualsWhatBothEncodersProduceAtEverySize() throws IOException {
        long trainBytes = DemoCorpus.utf8Bytes(train);
        assertEquals(trainBytes, BpeTrainer.byteCount(wordCounts));
        assertEquals(LARGEST, model.vocabSize());
        for (int size : SIZES) {
            BpeModel sized = model.truncate(size);
            BpeEncoder ours = new BpeEncoder(sized);
            long hfTokens = 0;
            try (HfEncoder hf = HfEncoder.load(export(sized, "v" + size))) {
                for (String doc : train) {
                    int[] ids = hf.encode(doc);
                    assertArrayEquals(ours.encode(doc), ids, "ids of a train doc at V=" + size);
                    hfTokens += ids.length;
                }
            }
            assertEquals(model.trainTokens(trainBytes, size), hfTokens, "train tokens at V=" + size);
        }
        assertEquals(trainBytes, model.trainTokens(trainBytes, 257));
    }

    @Test
    void heldOutDocsRoundTripAndPassTheByteAudit() throws IOException {
        List<String> heldOut = DemoCorpus.heldOut();
        int[] lengths = model.tokenByteLengths();
        BpeEncoder ours = new BpeEncoder(model);
        long tokenBytes = 0;
        try (HfEncoder hf = HfEncoder.load(export(model, "largest"))) {
            for (String doc : heldOut) {
                int[] ids = hf.encode(doc);
                assertArrayEquals(ours.encode(doc), ids);
                assertEquals(doc, hf.decode(ids));
                assertEquals(doc, ours.decode(ids));
                tokenBytes += ByteAudit.targetBytes(ids, lengths);
            }
        }
        ByteAudit.check("demo held-out docs", tokenBytes, DemoCorpus.utf8Bytes(heldOut));
    }

    @Test
    void sameCountsInAnotherOrderGiveAByteIdenticalTokenizerJson() throws IOException {
        List<String> reversed = new ArrayList<>(train);
        Collections.reverse(reversed);
        BpeModel again = new BpeTrainer(BpeConfig.of(LARGEST)).train(WordCounts.of(reversed));
        assertEquals(model, again);
        assertArrayEquals(Files.readAllBytes(export(model, "first")), Files.readAllBytes(export(again, "second")));
    }

    @Test
    void truncatedModelEqualsTrainingDirectlyToThatSize() {
        BpeModel direct = new BpeTrainer(BpeConfig.of(1024)).train(wordCounts);
        assertEquals(direct, model.truncate(1024));
    }

    @Test
    void tokenizerJsonAndAssetReadBackTheSameTokenizer() throws IOException {
        BpeModel fromJson = TokenizerJson.read(export(model, "read"));
        assertTrue(fromJson.sameMerges(model));
        assertFalse(fromJson.hasCounts());
        byte[] asset = TokenizerAsset.encode(model);
        assertTrue(TokenizerAsset.decode(asset).sameMerges(model));
        assertArrayEquals(asset, TokenizerAsset.encode(fromJson), "the asset holds no counts");
        // 1,791 merges as uint16 pairs are 7,164 raw bytes; xz must at least not expand them
        assertTrue(asset.length < 7_164, "asset bytes " + asset.length);
    }

    @Test
    void firstMergesAreCommonEnglishPairs() {
        List<String> first = new ArrayList<>();
        for (int id = 257; id < 262; id++) {
            first.add(new String(model.tokenBytes(id), StandardCharsets.UTF_8));
        }
        assertEquals(List.of(" t", "he", " a", "in", " s"), first);
    }
}
