package headroom.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class BpeModelTest {
    // 't' + 'h' -> 'th', 'th' + 'e' -> 'the', ' ' + 'the' -> ' the'
    private static final BpeModel MODEL = new BpeModel(BpeConfig.DEFAULT_SPECIAL_TOKENS, List.of(
            new MergeStep('t', 'h', 257, 50), new MergeStep(257, 'e', 258, 30), new MergeStep(' ', 258, 259, 20)));

    @Test
    void idsAndTokenBytes() {
        assertEquals(260, MODEL.vocabSize());
        assertEquals(256, MODEL.bosId());
        assertEquals(257, MODEL.firstMergeId());
        assertEquals(" the", new String(MODEL.tokenBytes(259), StandardCharsets.UTF_8));
        assertArrayEquals(new byte[0], MODEL.tokenBytes(256));
        int[] lengths = MODEL.tokenByteLengths();
        assertEquals(1, lengths[255]);
        assertEquals(0, lengths[256]);
        assertArrayEquals(new int[] {2, 3, 4}, java.util.Arrays.copyOfRange(lengths, 257, 260));
    }

    @Test
    void truncateKeepsAPrefixOfTheMerges() {
        assertEquals(new BpeModel(BpeConfig.DEFAULT_SPECIAL_TOKENS, List.of(new MergeStep('t', 'h', 257, 50))),
                MODEL.truncate(258));
        assertEquals(257, MODEL.truncate(257).vocabSize());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MODEL.truncate(261));
        assertEquals("vocabSize must be in [257, 260] for this model (it learned 3 merges), got 261", e.getMessage());
    }

    @Test
    void trainTokensSubtractEachMergesCount() {
        assertEquals(1000, MODEL.trainTokens(1000, 257));
        assertEquals(950, MODEL.trainTokens(1000, 258));
        assertEquals(900, MODEL.trainTokens(1000, 260));
        BpeModel uncounted = new BpeModel(MODEL.specialTokens(), List.of(new MergeStep('t', 'h', 257, 0)));
        assertThrows(IllegalStateException.class, () -> uncounted.trainTokens(1000, 258));
        assertTrue(uncounted.sameMerges(MODEL.truncate(258)));
    }

    @Test
    void rejectsMalformedMerges() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BpeModel(BpeConfig.DEFAULT_SPECIAL_TOKENS, List.of(new MergeStep('a', 'b', 258, 1))));
        assertEquals("merge 0 must make id 257, got MergeStep[left=97, right=98, newId=258, count=1]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new BpeModel(BpeConfig.DEFAULT_SPECIAL_TOKENS, List.of(new MergeStep(256, 'b', 257, 1))));
        assertEquals("merge 0 must not use a special token, got MergeStep[left=256, right=98, newId=257, count=1]",
                e.getMessage());
        // 'a' + 'bc' and 'ab' + 'c' both spell "abc": tokenizer.json's vocab could not hold both
        e = assertThrows(IllegalArgumentException.class, () -> new BpeModel(BpeConfig.DEFAULT_SPECIAL_TOKENS, List.of(
                new MergeStep('b', 'c', 257, 1), new MergeStep('a', 'b', 258, 1),
                new MergeStep('a', 257, 259, 1), new MergeStep(258, 'c', 260, 1))));
        assertEquals("merge 3 rebuilds the bytes of an earlier token, got MergeStep[left=258, right=99, newId=260, count=1]",
                e.getMessage());
    }

    @Test
    void configValidatesEveryField() {
        assertEquals("vocabSize must be in [257, 65536] (256 bytes + 1 specials, uint16 ids), got 256",
                assertThrows(IllegalArgumentException.class, () -> BpeConfig.of(256)).getMessage());
        assertEquals("vocabSize must be in [257, 65536] (256 bytes + 1 specials, uint16 ids), got 65537",
                assertThrows(IllegalArgumentException.class, () -> BpeConfig.of(65_537)).getMessage());
        assertEquals("minFrequency must be >= 1, got 0", assertThrows(IllegalArgumentException.class,
                () -> new BpeConfig(300, 0, List.of("<|bos|>"), 64)).getMessage());
        assertEquals("maxTokenBytes must be >= 2 (a merged token has two bytes at least), got 1",
                assertThrows(IllegalArgumentException.class, () -> new BpeConfig(300, 1, List.of("<|bos|>"), 1)).getMessage());
        assertEquals("specialTokens must be distinct, got [<|bos|>, <|bos|>]", assertThrows(IllegalArgumentException.class,
                () -> new BpeConfig(300, 1, List.of("<|bos|>", "<|bos|>"), 64)).getMessage());
        assertEquals("specialTokens entry \"bos\" must split into at least 2 pre-tokens (like <|bos|>), else a merge could rebuild it",
                assertThrows(IllegalArgumentException.class, () -> new BpeConfig(300, 1, List.of("bos"), 64)).getMessage());
        assertEquals(258, new BpeConfig(300, 1, List.of("<|bos|>", "<|eos|>"), 64).firstMergeId());
    }
}
