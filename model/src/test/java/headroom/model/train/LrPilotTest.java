package headroom.model.train;

import headroom.core.TokenStream;
import headroom.model.ByteCorpus;
import headroom.model.ModelConfig;
import headroom.model.TrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LrPilotTest {

    private static final ModelConfig TINY = new ModelConfig(ByteCorpus.VOCAB_SIZE, 32, 4, 2, 1, 2, 2, ModelConfig.Activation.RELU2,
            ModelConfig.HeadMode.TIED, 0, ModelConfig.Conditioning.BOTH, true, 10000, 30, 32);

    @Test
    void thePilotPicksTheGridRateWithTheLowestHoldoutBitsPerByte(@TempDir Path dir) throws Exception {
        TokenStream train = ByteCorpus.documents(0, 400);
        // 12 steps of 4 x 32 tokens, warmup 1, floor 0.1 x the peak; eval only at the tail's start and the end
        TrainConfig pilot = new TrainConfig(4, 32, 3e-3, 3e-4, 1, TrainConfig.Decay.COSINE, 0.1, 0.9, 0.95, 1e-8, 1.0,
                12, 0, 0, 1000, 40, 1000, 100, 1337, "cpu", 1);
        List<Double> grid = List.of(1e-4, 3e-2, 3e-3);
        LrPilot.Result r = LrPilot.choose(new Trainer(), TINY, pilot, grid, 40, train, ByteCorpus.tokenByteLengths(), dir);
        assertEquals(grid, r.grid());
        int best = 0;
        for (int i = 1; i < grid.size(); i++) if (r.holdoutBpb().get(i) < r.holdoutBpb().get(best)) best = i;
        assertEquals(grid.get(best), r.lr(), "the lowest holdout bpb wins: " + r);
        assertTrue(r.holdoutBpb().stream().allMatch(Double::isFinite), r.toString());
        assertNotEquals(r.holdoutBpb().get(0), r.holdoutBpb().get(1), "each rate trains its own model: " + r);
        assertNotEquals(1e-4, r.lr(), "12 steps at 1e-4 barely move from the initial 8 bits per byte: " + r);
        // the holdout is the split's last 40 documents, scored exactly as a plain training with the chosen rate scores them
        TrainResult again = new Trainer().run(TINY, pilot.withLr(r.lr()), train.firstDocuments(360), LrPilot.lastDocuments(train, 360),
                ByteCorpus.tokenByteLengths(), dir.resolve("again"), false);
        assertEquals(r.holdoutBpb().get(grid.indexOf(r.lr())), again.finalValBpb(), 1e-12);
        try (var left = Files.list(dir)) {
            assertEquals(List.of(dir.resolve("again")), left.toList(), "the pilot's folders are deleted");
        }
    }

    @Test
    void theHoldoutIsTheLastDocumentsWithTheirBytes() {
        TokenStream train = ByteCorpus.documents(0, 10);
        TokenStream last = LrPilot.lastDocuments(train, 7);
        assertEquals(3, last.documents());
        assertEquals(train.size() - train.docStart()[7], last.size());
        assertEquals(train.token(train.docStart()[8]), last.token(last.docStart()[1]));
        assertEquals(train.docBytes()[9], last.docBytes()[2]);
        assertEquals(0, last.docStart()[0]);
    }
}
