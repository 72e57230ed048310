package headroom.tokenizer.shards;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class EvalWindowsTest {

    @Test
    void fiveTokensStrideTwoMakeTwoFullWindows() {
        EvalWindows windows = new EvalWindows(TestDocs.counting(5), 2);
        assertEquals(2, windows.count());
        assertArrayEquals(new int[] {0, 1, 2}, windows.window(0));
        assertArrayEquals(new int[] {2, 3, 4}, windows.window(1));
        assertEquals(2, windows.targets(0));
        assertEquals(2, windows.targets(1));
    }

    @Test
    void sixTokensStrideTwoEndWithAShortWindow() {
        EvalWindows windows = new EvalWindows(TestDocs.counting(6), 2);
        assertEquals(3, windows.count());
        assertArrayEquals(new int[] {4, 5}, windows.window(2));
        assertEquals(1, windows.targets(2));
    }

    @Test
    void aStreamShorterThanOneWindowIsOneShortWindow() {
        EvalWindows windows = new EvalWindows(TestDocs.counting(2), 4);
        assertEquals(1, windows.count());
        assertArrayEquals(new int[] {0, 1}, windows.window(0));
        assertEquals(1, windows.targets(0));
    }

    @Test
    void everyPositionAfterTheFirstIsATargetExactlyOnce() {
        for (int size = 2; size <= 40; size++) {
            for (int seqLen = 1; seqLen <= 9; seqLen++) {
                EvalWindows windows = new EvalWindows(TestDocs.counting(size), seqLen);
                int[] timesTarget = new int[size];
                for (int i = 0; i < windows.count(); i++) {
                    int[] window = windows.window(i);
                    assertEquals(windows.targets(i) + 1, window.length);
                    // counting stream: a token is its own position
                    for (int k = 1; k < window.length; k++) {
                        timesTarget[window[k]]++;
                    }
                }
                int[] expected = new int[size];
                java.util.Arrays.fill(expected, 1, size, 1);
                assertArrayEquals(expected, timesTarget, "size " + size + ", seqLen " + seqLen);
            }
        }
    }

    @Test
    void targetBytesEqualTheDocumentsTextBytesWithSpecialsAtZero() {
        // ids: 0 = BOS (0 bytes), 1..3 = single bytes, 4 = a 2-byte token, 5 = a 4-byte emoji
        int[] tokenByteLengths = {0, 1, 1, 1, 2, 4};
        int[][] docs = {{1, 4, 2}, {5}, {}, {3, 3, 4, 5, 1}};
        int[] docBytes = {4, 4, 0, 9};
        TokenStream stream = TestDocs.stream(0, docs, docBytes);
        for (int seqLen = 1; seqLen <= 15; seqLen++) {
            EvalWindows windows = new EvalWindows(stream, seqLen);
            assertEquals(17, windows.targetTokenBytes(tokenByteLengths), "seqLen " + seqLen);
            assertEquals(17, windows.auditedTextBytes(tokenByteLengths));
        }
    }

    @Test
    void theAuditFailsWhenTokenBytesAndTextBytesDiffer() {
        // a standalone space counted as 0 bytes: the bug DESIGN.md warns about
        int[] wrongLengths = {0, 0, 1};
        TokenStream stream = TestDocs.stream(0, new int[][] {{1, 2}}, new int[] {2});
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new EvalWindows(stream, 4).auditedTextBytes(wrongLengths));
        assertEquals("byte audit failed: target tokens carry 1 bytes but the documents' text has 2 UTF-8 bytes", e.getMessage());
    }

    @Test
    void badArgumentsAreNamed() {
        assertEquals("the token stream must hold at least 2 tokens to have a target, got 1",
                assertThrows(IllegalArgumentException.class, () -> new EvalWindows(TestDocs.counting(1), 4)).getMessage());
        assertEquals("seqLen must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> new EvalWindows(TestDocs.counting(3), 0)).getMessage());
        assertEquals("window index must be in [0, 2), got 2",
                assertThrows(IndexOutOfBoundsException.class, () -> new EvalWindows(TestDocs.counting(5), 2).window(2)).getMessage());
        assertEquals("token id 5 at position 2 has no byte length: tokenByteLengths has 3 entries",
                assertThrows(IllegalArgumentException.class,
                        () -> new EvalWindows(TestDocs.stream(0, new int[][] {{1, 5}}, new int[] {2}), 4)
                                .targetTokenBytes(new int[] {0, 1, 1})).getMessage());
    }
}
