package headroom.training.train;

import headroom.tokenizer.shards.TokenStream;
import headroom.training.ByteCorpus;
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
}
