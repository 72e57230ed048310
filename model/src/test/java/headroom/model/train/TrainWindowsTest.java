package headroom.model.train;

import headroom.core.TokenStream;
import headroom.model.ByteCorpus;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainWindowsTest {

    // one document: BOS + 26 letters = 27 tokens; T=4 -> starts in [0, 22]
    private static final TokenStream STREAM = ByteCorpus.of(List.of("abcdefghijklmnopqrstuvwxyz".getBytes(StandardCharsets.US_ASCII)));

    @Test
    void windowsArePureFunctionsOfSeedAndIndex() {
        TrainWindows w = new TrainWindows(STREAM, 4, 7);
        long[] firstInputs = new long[8];
        long[] firstTargets = new long[8];
        w.fill(10, 2, firstInputs, firstTargets);
        long[] again = new long[8];
        new TrainWindows(STREAM, 4, 7).fill(10, 2, again, new long[8]);
        assertArrayEquals(firstInputs, again);
        for (int i = 0; i < 8; i++) {
            if (i % 4 < 3) assertEquals(firstInputs[i + 1], firstTargets[i], "targets are inputs shifted by one");
        }
        long seen = 0;
        for (long i = 0; i < 1000; i++) {
            long start = w.offset(i);
            assertTrue(start >= 0 && start <= 22, "start " + start);
            seen |= 1L << start;
        }
        assertEquals((1L << 23) - 1, seen, "every start position is drawn");
        assertNotEquals(w.offset(3), new TrainWindows(STREAM, 4, 8).offset(3), "another seed, other windows");
    }

    @Test
    void streamShorterThanAWindowIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TrainWindows(STREAM, 27, 1));
        assertEquals("training stream has 27 tokens; a window needs seqLen + 1 = 28", e.getMessage());
    }

    @Test
    void theDrawSequenceIsPinnedBecauseCheckpointsResumeFromIt() {
        // Changing the hash would silently change the data order of resumed runs.
        TrainWindows w = new TrainWindows(counting(60_000), 1023, 42);
        assertArrayEquals(new long[] {45723, 57956, 36845}, new long[] {w.offset(0), w.offset(1), w.offset(1_000_000_000_000L)});
    }

    @Test
    void aWindowIsTConsecutiveInputsAndTheNextTTokensAsTargets() {
        TrainWindows w = new TrainWindows(counting(10_000), 8, 7);
        long[] inputs = new long[8 * 50];
        long[] targets = new long[8 * 50];
        w.fill(0, 50, inputs, targets);
        for (int r = 0; r < 50; r++) {
            long start = w.offset(r);
            for (int i = 0; i < 8; i++) {
                assertEquals(start + i, inputs[r * 8 + i], "window " + r);   // counting stream: a token is its position
                assertEquals(start + i + 1, targets[r * 8 + i], "window " + r);
            }
        }
    }

    @Test
    void startsAreUniformOverEveryValidPosition() {
        // 12 tokens, T = 3: starts 0..8, 9 of them; 9,000 draws, about 1,000 each
        TrainWindows w = new TrainWindows(counting(12), 3, 99);
        int[] hits = new int[9];
        for (long i = 0; i < 9000; i++) hits[(int) w.offset(i)]++;
        for (int s = 0; s < 9; s++) assertTrue(hits[s] > 880 && hits[s] < 1120, "start " + s + " drawn " + hits[s] + " times");
    }

    @Test
    void aStreamOfExactlyTPlusOneTokensHasOneWindow() {
        long[] inputs = new long[8];
        long[] targets = new long[8];
        new TrainWindows(counting(9), 8, 0).fill(5, 1, inputs, targets);
        assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5, 6, 7}, inputs);
        assertArrayEquals(new long[] {1, 2, 3, 4, 5, 6, 7, 8}, targets);
    }

    /** The stream 0, 1, 2, ..., size - 1 as one document: every token is its own position. */
    private static TokenStream counting(int size) {
        char[] tokens = new char[size];
        for (int i = 0; i < size; i++) tokens[i] = (char) i;
        return new TokenStream(tokens, new long[] {0}, new int[] {size - 1});
    }
}
