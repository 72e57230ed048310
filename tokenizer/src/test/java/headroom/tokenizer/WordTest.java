package headroom.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WordTest {

    private static List<List<Integer>> listed(PairDeltas deltas) {
        List<List<Integer>> rows = new ArrayList<>();
        for (int i = 0; i < deltas.size(); i++) {
            rows.add(List.of(deltas.left(i), deltas.right(i), deltas.delta(i)));
        }
        return rows;
    }

    @Test
    void mergeReportsEveryPairItChanges() {
        Word word = new Word("xaby".getBytes());
        PairDeltas deltas = new PairDeltas();
        assertEquals(1, word.merge('a', 'b', 300, deltas));
        assertEquals(List.of(
                List.of((int) 'x', (int) 'a', -1), List.of((int) 'x', 300, 1),   // (x, a) -> (x, ab)
                List.of((int) 'a', (int) 'b', -1),                                 // (a, b) itself
                List.of((int) 'b', (int) 'y', -1), List.of(300, (int) 'y', 1)),  // (b, y) -> (ab, y)
                listed(deltas));
        assertEquals(3, word.size());
        assertEquals(300, word.symbol(1));
    }

    @Test
    void mergeOfARepeatedSymbolGoesLeftToRight() {
        Word word = new Word("aaaa".getBytes());
        PairDeltas deltas = new PairDeltas();
        assertEquals(2, word.merge('a', 'a', 300, deltas)); // aa aa
        assertEquals(List.of(
                List.of(97, 97, -1), List.of(97, 97, -1), List.of(300, 97, 1),     // first aa; (a, a) after it
                List.of(300, 97, -1), List.of(300, 300, 1), List.of(97, 97, -1)), // second aa, after the new one
                listed(deltas));
        assertEquals(2, word.size());
    }
}
