package headroom.scoring.baseline;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static headroom.scoring.baseline.ByteNgramTest.sentences;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NgramFloorTest {

    static final NgramFloor.Settings SETTINGS = new NgramFloor.Settings(6, 0.1, 1 << 20);

    @Test
    void theOrderIsChosenOnTheTrainHoldoutWhateverValHolds() {
        List<String> train = sentences(200, 7);
        StringBuilder noise = new StringBuilder();
        Random random = new Random(8);
        for (int i = 0; i < 3000; i++) noise.append((char) (0x20 + random.nextInt(0x2000)));
        NgramFloor.Result likeTrain = NgramFloor.measure(train, sentences(20, 9), List.of(), SETTINGS);
        NgramFloor.Result wild = NgramFloor.measure(train, List.of(noise.toString()), List.of(), SETTINGS);
        assertEquals(likeTrain.selection(), wild.selection(), "the same order and holdout bits per byte, however val differs");
        assertTrue(likeTrain.order() > 2, "the grammar's words need context: order " + likeTrain.order());
        assertTrue(wild.valBpb() > 4 * likeTrain.valBpb(), "val itself does differ: " + wild.valBpb() + " against " + likeTrain.valBpb());
        assertEquals(6, likeTrain.selection().holdoutBpbByOrder().size());
        assertEquals(20, likeTrain.selection().holdoutDocuments(), "the last 10% of 200 train documents");
        assertEquals(likeTrain.selection().holdoutBpbByOrder().stream().mapToDouble(Double::doubleValue).min().orElseThrow(),
                likeTrain.selection().holdoutBpb());
    }

    @Test
    void addingTheHoldoutsCountsIsARefitOnTheWholeTrainSplit() {
        List<String> train = sentences(100, 10);
        List<String> val = sentences(10, 11);
        List<String> heldout = List.of("Nothing of the kind was ever seen in Bath.", "the cat wrote to the captain.");
        NgramFloor.Result floor = NgramFloor.measure(train, val, heldout, SETTINGS);
        int order = floor.order();
        for (int maxOrder : new int[] {order, SETTINGS.maxOrder()}) {
            ByteNgram refit = ByteNgram.count(ByteSymbols.encode(train), maxOrder);
            assertEquals(refit.score("val", ByteSymbols.encode(val), order).bpb(), floor.valBpb(), 1e-12, "counted up to order " + maxOrder);
            assertEquals(refit.score("held-out", ByteSymbols.encode(heldout), order).bpb(), floor.heldoutBpb(), 1e-12);
        }
        assertTrue(Double.isNaN(NgramFloor.measure(train, val, List.of(), SETTINGS).heldoutBpb()), "no out-of-domain set");
    }

    @Test
    void theCapKeepsWholeDocumentsInOrderAndSaysWhenItCut() {
        List<String> documents = List.of("abcd", "\u00e9\u00e9", "xyz", "0123456789");
        NgramFloor.Capped cut = NgramFloor.cap(documents, 10);
        assertEquals(List.of("abcd", "\u00e9\u00e9"), cut.documents(), "4 + 4 bytes fit, 3 more do not");
        assertEquals(8, cut.bytes());
        assertTrue(cut.capped());
        NgramFloor.Capped whole = NgramFloor.cap(documents, 21);
        assertEquals(documents, whole.documents());
        assertFalse(whole.capped());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NgramFloor.cap(documents, 3));
        assertTrue(e.getMessage().contains("over the n-gram's cap of 3 bytes"), e.getMessage());

        List<String> train = sentences(200, 12);
        long half = train.subList(0, 100).stream().mapToLong(d -> d.getBytes(StandardCharsets.UTF_8).length).sum();
        NgramFloor.Result capped = NgramFloor.measure(train, sentences(5, 13), List.of(), new NgramFloor.Settings(4, 0.1, half));
        assertEquals(100, capped.trainDocuments());
        assertEquals(half, capped.trainBytes());
        assertTrue(capped.capped());
        assertEquals(10, capped.selection().holdoutDocuments(), "the holdout is carved from what the cap kept");
    }

    @Test
    void aModelRefusesToScoreOnceItsCountsGrew() {
        char[] symbols = ByteSymbols.encode(sentences(20, 14)).tokens();
        NgramCounts counts = new NgramCounts(3);
        counts.add(symbols, 1, 100);
        ByteNgram model = new ByteNgram(counts);
        counts.add(symbols, 100, symbols.length);
        assertThrows(IllegalStateException.class, () -> model.probability(symbols, 5, 'a', 2));
    }

    @Test
    void badSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new NgramFloor.Settings(0, 0.1, 1000));
        assertThrows(IllegalArgumentException.class, () -> new NgramFloor.Settings(5, 1.0, 1000));
        assertThrows(IllegalArgumentException.class, () -> new NgramFloor.Settings(5, 0.1, 0));
        List<String> one = List.of("only one document");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NgramFloor.measure(one, one, List.of(), SETTINGS));
        assertTrue(e.getMessage().contains("at least 2 train documents"), e.getMessage());
    }
}
