package headroom.tokenizer.shards;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WindowSamplerTest {

    private static final TokenStream STREAM = TestDocs.counting(10_000);

    @Test
    void aWindowIsTPlusOneConsecutiveTokensFromItsStart() {
        WindowSampler sampler = new WindowSampler(STREAM, 8, 7);
        for (long index = 0; index < 50; index++) {
            long start = sampler.start(index);
            assertTrue(start >= 0 && start <= 10_000 - 9, "start " + start);
            int[] expected = new int[9];
            for (int k = 0; k < 9; k++) {
                expected[k] = (int) (start + k);
            }
            assertArrayEquals(expected, sampler.window(index));
        }
    }

    @Test
    void sameSeedAndIndexGiveTheSameWindowWhateverTheCallOrder() {
        WindowSampler forward = new WindowSampler(STREAM, 16, 1234);
        WindowSampler backward = new WindowSampler(STREAM, 16, 1234);
        int[][] inOrder = new int[200][];
        for (int i = 0; i < 200; i++) {
            inOrder[i] = forward.window(i);
        }
        // a resumed run starts at a later index without drawing the earlier ones
        for (int i = 199; i >= 0; i--) {
            assertArrayEquals(inOrder[i], backward.window(i), "window " + i);
        }
        assertArrayEquals(new int[][] {inOrder[120], inOrder[121], inOrder[122]}, backward.batch(120, 3));
    }

    @Test
    void differentSeedsDrawDifferentWindows() {
        WindowSampler a = new WindowSampler(STREAM, 16, 1);
        WindowSampler b = new WindowSampler(STREAM, 16, 2);
        int same = 0;
        for (long i = 0; i < 1000; i++) {
            if (a.start(i) == b.start(i)) {
                same++;
            }
        }
        // 9,985 possible starts: a handful of chance collisions at most
        assertTrue(same < 5, same + " of 1000 windows coincide");
    }

    @Test
    void theDrawSequenceIsPinnedBecauseCheckpointsResumeFromIt() {
        // Changing the hash would silently change the data order of resumed runs.
        WindowSampler sampler = new WindowSampler(TestDocs.counting(60_000), 1023, 42);
        assertArrayEquals(new long[] {2169, 22889, 30070},
                new long[] {sampler.start(0), sampler.start(1), sampler.start(1_000_000_000_000L)});
    }

    @Test
    void startsAreUniformOverEveryValidPosition() {
        // 12 tokens, T = 3: starts 0..8, 9 of them; 9,000 draws, about 1,000 each
        WindowSampler sampler = new WindowSampler(TestDocs.counting(12), 3, 99);
        int[] hits = new int[9];
        for (long i = 0; i < 9000; i++) {
            hits[(int) sampler.start(i)]++;
        }
        for (int s = 0; s < 9; s++) {
            assertTrue(hits[s] > 880 && hits[s] < 1120, "start " + s + " drawn " + hits[s] + " times");
        }
    }

    @Test
    void aStreamShorterThanTPlusOneIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new WindowSampler(TestDocs.counting(8), 8, 0));
        assertEquals("the token stream must hold at least seqLen + 1 = 9 tokens to draw a window, got 8", e.getMessage());
        // exactly T + 1 tokens: one possible window
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8}, new WindowSampler(TestDocs.counting(9), 8, 0).window(5));
    }
}
