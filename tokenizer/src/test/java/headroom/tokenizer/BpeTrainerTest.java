package headroom.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BpeTrainerTest {

    /** tokenizers' trainer.rs test corpus: 10 distinct words, 12 in all. */
    private static final Map<Bytes, Long> ROSES = Map.of(
            Bytes.of("roses"), 1L, Bytes.of("are"), 2L, Bytes.of("red"), 1L, Bytes.of("voilets"), 1L,
            Bytes.of("blue"), 1L, Bytes.of("BERT"), 1L, Bytes.of("is"), 2L, Bytes.of("big"), 1L,
            Bytes.of("and"), 1L, Bytes.of("so"), 1L);

    @Test
    void learnsTheFrequentPairsAndStopsBelowMinFrequency() {
        BpeModel model = new BpeTrainer(new BpeConfig(300, 2, List.of("<|bos|>"), 64)).train(ROSES);
        assertEquals(List.of(
                new MergeStep('r', 'e', 257, 3),  // 'r' + 'e' -> 're' (are x2, red)
                new MergeStep('a', 257, 258, 2),  // 'a' + 're' -> 'are' (ties with 'i' + 's' at 2; 'a' < 'i')
                new MergeStep('i', 's', 259, 2)), // 'i' + 's' -> 'is'
                model.merges());
        assertEquals(260, model.vocabSize());
    }

    @Test
    void breaksTiesByPairAscending() {
        BpeModel model = new BpeTrainer(new BpeConfig(263, 1, List.of("<|bos|>"), 64)).train(ROSES);
        assertEquals(List.of(
                new MergeStep('r', 'e', 257, 3),  // 'r' + 'e' -> 're'
                new MergeStep('a', 257, 258, 2),  // 'a' + 're' -> 'are'
                new MergeStep('i', 's', 259, 2),  // 'i' + 's' -> 'is'
                new MergeStep('B', 'E', 260, 1),  // 'B' + 'E' -> 'BE': the smallest pair of count 1
                new MergeStep('R', 'T', 261, 1),  // 'R' + 'T' -> 'RT' (pair (82, 84) sorts before ('BE', 'R') = (260, 82))
                new MergeStep('a', 'n', 262, 1)), // 'a' + 'n' -> 'an'
                model.merges());
        // roses, are x2, red, voilets, blue, BERT, is x2, big, and, so
        assertEquals(5 + 2 * 3 + 3 + 7 + 4 + 4 + 2 * 2 + 3 + 3 + 2, BpeTrainer.byteCount(ROSES));
        assertEquals(41 - 3 - 2 - 2, model.trainTokens(41, 260));
    }

    @Test
    void countsTokensRemovedNotOverlappingPairs() {
        // (a, a) occurs 3 times in "aaaa" and 2 times in each "aaa", but a merge removes 2 and 1 tokens
        Map<Bytes, Long> words = Map.of(Bytes.of("aaaa"), 1L, Bytes.of("aaa"), 2L);
        BpeModel model = new BpeTrainer(new BpeConfig(259, 1, List.of("<|bos|>"), 64)).train(words);
        assertEquals(List.of(
                new MergeStep('a', 'a', 257, 4),   // 'a' + 'a' -> 'aa': aaaa -> aa aa, aaa -> aa a
                new MergeStep(257, 'a', 258, 2)),  // 'aa' + 'a' -> 'aaa', in the two "aaa"
                model.merges());
        assertEquals(10 - 4 - 2, model.trainTokens(10, 259));
        BpeEncoder encoder = new BpeEncoder(model);
        assertArrayEquals(new int[] {257, 257}, encoder.encode("aaaa"));
        assertArrayEquals(new int[] {258}, encoder.encode("aaa"));
    }

    @Test
    void maxTokenBytesBoundsMergedTokens() {
        Map<Bytes, Long> words = Map.of(Bytes.of("abcd"), 5L);
        BpeModel model = new BpeTrainer(new BpeConfig(300, 1, List.of("<|bos|>"), 2)).train(words);
        assertEquals(List.of(
                new MergeStep('a', 'b', 257, 5),   // 'a' + 'b' -> 'ab'
                new MergeStep('c', 'd', 258, 5)),  // 'c' + 'd' -> 'cd'; 'ab' + 'cd' would be 4 bytes
                model.merges());
    }

    @Test
    void stopsWhenNoPairIsLeft() {
        BpeModel model = new BpeTrainer(new BpeConfig(1000, 1, List.of("<|bos|>"), 64)).train(Map.of(Bytes.of("abc"), 1L));
        assertEquals(259, model.vocabSize()); // 'ab', then 'abc'
    }

    @Test
    void rejectsNonPositiveCounts() {
        BpeTrainer trainer = new BpeTrainer(BpeConfig.of(300));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> trainer.train(Map.of(Bytes.of("ab"), 0L)));
        assertEquals("word counts must be >= 1, got 0 for \"ab\"", e.getMessage());
    }
}
