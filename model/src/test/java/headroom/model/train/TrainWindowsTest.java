package headroom.model.train;

import headroom.core.TokenStream;
import headroom.model.ByteCorpus;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainWindowsTest {

    // one document: BOS + 26 letters = 27 tokens, 26 bytes; T=4 -> starts in [0, 22]
    private static final TokenStream STREAM = ByteCorpus.of(List.of("abcdefghijklmnopqrstuvwxyz".getBytes(StandardCharsets.US_ASCII)));
    private static final int[] BYTES = ByteCorpus.tokenByteLengths();

    @Test
    void windowsArePureFunctionsOfSeedAndIndex() {
        TrainWindows w = new TrainWindows(STREAM, BYTES, 4, 7);
        long[] firstInputs = new long[8];
        long[] firstTargets = new long[8];
        w.fill(10, 2, firstInputs, firstTargets);
        long[] again = new long[8];
        new TrainWindows(STREAM, BYTES, 4, 7).fill(10, 2, again, new long[8]);
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
        // byte 0 opens the document (its BOS), byte b > 0 is token b + 1: token 1 (byte 0's letter) is never a start
        assertEquals(((1L << 23) - 1) & ~2L, seen, "every start the bytes map to is drawn");
        assertNotEquals(w.offset(3), new TrainWindows(STREAM, BYTES, 4, 8).offset(3), "another seed, other windows");
    }

    @Test
    void streamShorterThanAWindowIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TrainWindows(STREAM, BYTES, 27, 1));
        assertEquals("training stream has 27 tokens; a window needs seqLen + 1 = 28", e.getMessage());
    }

    @Test
    void byteLengthsOfAnotherTokenizerAreRejected() {
        int[] wrong = BYTES.clone();
        wrong['a'] = 2;
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new TrainWindows(STREAM, wrong, 4, 1));
        assertTrue(e.getMessage().contains("carry 27 bytes but its documents 26"), e.getMessage());
    }

    @Test
    void theDrawSequenceIsPinnedBecauseCheckpointsResumeFromIt() {
        // Changing the hash would silently change the data order of resumed runs.
        TrainWindows w = new TrainWindows(counting(60_000), countingBytes(60_000), 1023, 42);
        assertArrayEquals(new long[] {w.offsetByte(0), w.offsetByte(1), w.offsetByte(1_000_000_000_000L)},
                new long[] {w.offset(0) - 1, w.offset(1) - 1, w.offset(1_000_000_000_000L) - 1}, "byte b is token b + 1");
        assertArrayEquals(new long[] {11307, 57594, 34522}, new long[] {w.offsetByte(0), w.offsetByte(1), w.offsetByte(1_000_000_000_000L)});
    }

    @Test
    void aWindowIsTConsecutiveInputsAndTheNextTTokensAsTargets() {
        TrainWindows w = new TrainWindows(counting(10_000), countingBytes(10_000), 8, 7);
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
    void startBytesAreUniformOverTheText() {
        // 12 tokens, 11 bytes; 11,000 draws, about 1,000 per byte
        TrainWindows w = new TrainWindows(counting(12), countingBytes(12), 3, 99);
        int[] hits = new int[11];
        for (long i = 0; i < 11000; i++) hits[(int) w.offsetByte(i)]++;
        for (int s = 0; s < 11; s++) assertTrue(hits[s] > 880 && hits[s] < 1120, "byte " + s + " drawn " + hits[s] + " times");
    }

    @Test
    void aStreamOfExactlyTPlusOneTokensHasOneWindow() {
        long[] inputs = new long[8];
        long[] targets = new long[8];
        new TrainWindows(counting(9), countingBytes(9), 8, 0).fill(5, 1, inputs, targets);
        assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5, 6, 7}, inputs);
        assertArrayEquals(new long[] {1, 2, 3, 4, 5, 6, 7, 8}, targets);
    }

    @Test
    void aByteThatOpensADocumentStartsAtItsBosEvenAcrossABlockBoundary() {
        // 63 one-byte tokens, then document 2's BOS as token 63 and its first letter as token 64, the first of the next block
        byte[] first = new byte[62];
        Arrays.fill(first, (byte) 'x');
        TokenStream s = ByteCorpus.of(List.of(first, "yz".getBytes(StandardCharsets.US_ASCII)));
        TrainWindows w = new TrainWindows(s, BYTES, 2, 1);
        assertEquals(63, w.tokenAtOrAfter(62), "byte 62 opens document 2: its BOS");
        assertEquals(65, w.tokenAtOrAfter(63));
        assertEquals(0, w.tokenAtOrAfter(0));
    }

    @Test
    void twoArmsOfOneSeedWithDifferentTokenizersReceiveTheSameByteRangesInTheSameOrder() {
        List<byte[]> docs = new ArrayList<>();
        TokenStream text = ByteCorpus.documents(0, 300);
        for (int d = 0; d < text.documents(); d++) {
            byte[] doc = new byte[text.docBytes()[d]];
            for (int i = 0; i < doc.length; i++) doc[i] = (byte) text.token(text.docStart()[d] + 1 + i);
            docs.add(doc);
        }
        byte[] all = concat(docs);
        // arm A: one token per byte (T = 96 tokens = 96 bytes); arm B: byte pairs, greedily (T = 48 tokens, about 96 bytes)
        TokenStream bytesArm = ByteCorpus.of(docs);
        PairTokens pairArm = PairTokens.of(docs);
        long seed = 1338;
        TrainWindows a = new TrainWindows(bytesArm, BYTES, 96, seed);
        TrainWindows b = new TrainWindows(pairArm.stream, pairArm.byteLengths, 48, seed);
        int windows = 2000, sameStart = 0;
        long[] inputsA = new long[96 * windows], inputsB = new long[48 * windows];
        a.fill(0, windows, inputsA, new long[inputsA.length]);
        b.fill(0, windows, inputsB, new long[inputsB.length]);
        for (int i = 0; i < windows; i++) {
            assertEquals(a.offsetByte(i), b.offsetByte(i), "window " + i + ": one byte position for both arms");
            long startA = byteOf(bytesArm, BYTES, a.offset(i)), startB = byteOf(pairArm.stream, pairArm.byteLengths, b.offset(i));
            // each arm starts at its first token boundary at or after the drawn byte (B's tokens are at most 2 bytes), unless
            // the window would run past the end of the text
            boolean atEnd = a.offset(i) == bytesArm.size() - 97 || b.offset(i) == pairArm.stream.size() - 49;
            assertTrue(atEnd || startA == a.offsetByte(i) && startB - b.offsetByte(i) <= 1, "window " + i + ": " + startA + " / " + startB);
            if (startA == startB) sameStart++;
            // and each window is the text from there, through its own tokenizer
            byte[] decodedA = decode(inputsA, i * 96, 96, BYTES), decodedB = decode(inputsB, i * 48, 48, pairArm.byteLengths, pairArm.pieces);
            assertArrayEquals(Arrays.copyOfRange(all, (int) startA, (int) startA + decodedA.length), decodedA, "window " + i + " of A");
            assertArrayEquals(Arrays.copyOfRange(all, (int) startB, (int) startB + decodedB.length), decodedB, "window " + i + " of B");
        }
        assertTrue(sameStart > windows / 3, sameStart + " of " + windows + " windows start at the very same byte");
        // another seed draws other bytes
        assertNotEquals(a.offsetByte(0), new TrainWindows(bytesArm, BYTES, 96, seed + 1).offsetByte(0));
    }

    /** A second tokenizer: BOS = 256, bytes 0..255, and one token per byte pair xy met (numbered from 257 as met), read by twos. */
    private record PairTokens(TokenStream stream, int[] byteLengths, byte[][] pieces) {
        static PairTokens of(List<byte[]> docs) {
            List<Character> tokens = new ArrayList<>();
            List<byte[]> pieces = new ArrayList<>();
            java.util.Map<Integer, Integer> ids = new java.util.HashMap<>();
            for (int i = 0; i < 257; i++) pieces.add(i < 256 ? new byte[] {(byte) i} : new byte[0]);
            long[] docStart = new long[docs.size()];
            int[] docBytes = new int[docs.size()];
            for (int d = 0; d < docs.size(); d++) {
                byte[] doc = docs.get(d);
                docStart[d] = tokens.size();
                docBytes[d] = doc.length;
                tokens.add((char) 256);
                for (int i = 0; i < doc.length; ) {
                    if (i + 1 < doc.length) {
                        int pair = (doc[i] & 0xff) << 8 | (doc[i + 1] & 0xff);
                        int id = ids.computeIfAbsent(pair, k -> {
                            pieces.add(new byte[] {(byte) (k >> 8), (byte) (int) k});
                            return pieces.size() - 1;
                        });
                        tokens.add((char) id);
                        i += 2;
                    } else {
                        tokens.add((char) (doc[i] & 0xff));
                        i++;
                    }
                }
            }
            char[] t = new char[tokens.size()];
            for (int i = 0; i < t.length; i++) t[i] = tokens.get(i);
            int[] lengths = pieces.stream().mapToInt(p -> p.length).toArray();
            return new PairTokens(new TokenStream(t, docStart, docBytes), lengths, pieces.toArray(byte[][]::new));
        }
    }

    private static long byteOf(TokenStream s, int[] lengths, long position) {
        long bytes = 0;
        for (long p = 0; p < position; p++) bytes += lengths[s.token(p)];
        return bytes;
    }

    private static byte[] decode(long[] ids, int from, int count, int[] lengths, byte[][] pieces) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = from; i < from + count; i++) out.writeBytes(pieces[(int) ids[i]]);
        return out.toByteArray();
    }

    private static byte[] decode(long[] ids, int from, int count, int[] lengths) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = from; i < from + count; i++) if (lengths[(int) ids[i]] == 1) out.write((int) ids[i]);
        return out.toByteArray();
    }

    private static byte[] concat(List<byte[]> docs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        docs.forEach(out::writeBytes);
        return out.toByteArray();
    }

    /** The stream 0, 1, 2, ..., size - 1 as one document: every token is its own position. */
    private static TokenStream counting(int size) {
        char[] tokens = new char[size];
        for (int i = 0; i < size; i++) tokens[i] = (char) i;
        return new TokenStream(tokens, new long[] {0}, new int[] {size - 1});
    }

    /** Token 0 opens the counting stream's document (0 bytes, a BOS); every other token is one byte. */
    private static int[] countingBytes(int size) {
        int[] lengths = new int[size];
        Arrays.fill(lengths, 1, size, 1);
        return lengths;
    }
}
