package headroom.scoring.baseline;

import headroom.core.ByteAuditException;
import headroom.core.TokenStream;
import headroom.model.train.EvalResult;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ByteNgramTest {

    /** Sentences drawn from a small grammar: English-like text with structure at several orders. */
    static List<String> sentences(int documents, long seed) {
        String[] subjects = {"the cat", "a dog", "my neighbour", "the old captain", "Elizabeth"};
        String[] verbs = {"saw", "liked", "walked past", "wrote to", "never forgot"};
        String[] objects = {"the garden.", "a letter from Bath.", "the rainy morning.", "her sister.", "the house on the hill."};
        Random random = new Random(seed);
        List<String> out = new ArrayList<>();
        for (int d = 0; d < documents; d++) {
            StringBuilder doc = new StringBuilder();
            for (int s = 0, n = 2 + random.nextInt(4); s < n; s++) {
                if (s > 0) doc.append(' ');
                doc.append(subjects[random.nextInt(5)]).append(' ').append(verbs[random.nextInt(5)]).append(' ').append(objects[random.nextInt(5)]);
            }
            out.add(doc.toString());
        }
        return out;
    }

    static List<byte[]> randomDocuments(int documents, int bytes, long seed) {
        Random random = new Random(seed);
        List<byte[]> out = new ArrayList<>();
        for (int d = 0; d < documents; d++) {
            byte[] doc = new byte[bytes];
            random.nextBytes(doc);
            out.add(doc);
        }
        return out;
    }

    @Test
    void randomBytesCostAboutEightBitsPerByteAtEveryOrder() {
        ByteNgram model = ByteNgram.count(ByteSymbols.encodeBytes(randomDocuments(40, 5_000, 1)), 6);
        List<EvalResult> scores = model.scoreEveryOrder("random val", ByteSymbols.encodeBytes(randomDocuments(10, 2_000, 2)));
        // the unigram: log2(257) = 8.006 bits per symbol, the 9 boundaries' cost and the noise of 200 kB of counts
        assertEquals(8.006, scores.get(0).bpb(), 0.01, "order 1 on random bytes");
        for (int order = 2; order <= 6; order++) {
            double bpb = scores.get(order - 1).bpb();
            // longer contexts only fit noise: no gain, a little loss
            assertTrue(bpb > scores.get(0).bpb() && bpb < 8.16, "order " + order + " on random bytes: " + bpb);
        }
    }

    @Test
    void aLongRepeatedStringCostsAlmostNothing() {
        // every symbol fixes the next: order 2 already knows the string (in "the quick ... over the lazy" only 7 symbols would)
        String line = "0123456789 abcdefghijklmnopqrstuvwxyz.";
        List<String> train = new ArrayList<>();
        for (int d = 0; d < 20; d++) train.add(line.repeat(50));
        NgramFloor.Result floor = NgramFloor.measure(train, List.of(line.repeat(40), line.repeat(40)), List.of(), new NgramFloor.Settings(6, 0.1, 1 << 20));
        assertTrue(floor.valBpb() < 0.01, "a string seen a thousand times, boundary included: " + floor.valBpb());
        assertTrue(floor.order() >= 2, "context pays on a repeated string: order " + floor.order());
    }

    @Test
    void everyDistributionSumsToOneOverTheAlphabet() {
        ByteNgram model = ByteNgram.count(ByteSymbols.encode(sentences(60, 3)), 5);
        // contexts seen, partly seen, never seen (non-ASCII), at a document start and across a boundary
        List<String> val = List.of("the cat saw the garden. Elizabeth wrote", "the cat saw a zebra \u00e9\u00e9\u00e9 qqq", "x");
        char[] s = ByteSymbols.encode(val).tokens();
        for (int position : new int[] {1, 2, 5, 12, 30, 41, 50, 62, s.length - 2, s.length - 1}) {
            for (int order = 1; order <= 5; order++) {
                double sum = 0;
                for (int w = 0; w < ByteSymbols.ALPHABET; w++) {
                    double p = model.probability(s, position, w, order);
                    assertTrue(p > 0 && p < 1, "P(" + w + ") at " + position + ", order " + order + ": " + p);
                    sum += p;
                }
                assertEquals(1.0, sum, 1e-12, "order " + order + " at position " + position);
            }
        }
    }

    @Test
    void probabilitiesMatchAPlainReadingOfTheFormulas() {
        List<String> train = sentences(30, 4);
        train.set(3, "unusual \u00e9 text with rare bytes \u2603 and digits 12345");
        ByteNgram model = ByteNgram.count(ByteSymbols.encode(train), 4);
        NaiveKneserNey naive = new NaiveKneserNey(ByteSymbols.encode(train).tokens(), 4);
        char[] val = ByteSymbols.encode(List.of("the cat saw the house on the hill. my neighbour", "digits 123 \u2603!")).tokens();
        for (int order = 1; order <= 4; order++) {
            double nats = 0;
            for (int i = 1; i < val.length; i++) {
                for (int w : new int[] {val[i], 'e', ' ', ByteSymbols.EOD, 0xE9}) {
                    assertEquals(naive.probability(val, i, w, order), model.probability(val, i, w, order), 1e-13,
                            "order " + order + ", position " + i + ", symbol " + w);
                }
                nats -= Math.log(model.probability(val, i, val[i], order));
            }
            // the one-pass scorer of every order agrees with the model of that order alone
            TokenStream stream = ByteSymbols.encode(List.of("the cat saw the house on the hill. my neighbour", "digits 123 \u2603!"));
            assertEquals(nats, model.scoreEveryOrder("val", stream).get(order - 1).sumNats(), 1e-9, "order " + order);
        }
    }

    @Test
    void theScoredBytesAreAuditedAgainstTheText() {
        ByteNgram model = ByteNgram.count(ByteSymbols.encode(sentences(10, 5)), 3);
        TokenStream honest = ByteSymbols.encode(List.of("the cat", "a dog"));
        EvalResult result = model.score("val", honest, 3);
        assertEquals(12, result.targetBytes(), "7 + 5 bytes; the second document's EOD carries none");
        assertEquals(13, result.targets(), "every position after the first");
        // the same symbols, with one document claiming a byte more than it holds
        TokenStream lying = new TokenStream(honest.tokens(), honest.docStart(), new int[] {7, 6});
        ByteAuditException e = assertThrows(ByteAuditException.class, () -> model.score("val", lying, 3));
        assertTrue(e.getMessage().contains("12 bytes but the text has 13"), e.getMessage());
    }

    @Test
    void discountsStayWhereEveryLevelIsProper() {
        double[] chenGoodman = ByteNgram.discounts(new long[] {0, 1000, 400, 200, 120});
        double y = 1000.0 / 1800;
        assertEquals(1 - 2 * y * 0.4, chenGoodman[0], 1e-12);
        assertEquals(2 - 3 * y * 0.5, chenGoodman[1], 1e-12);
        assertEquals(3 - 4 * y * 0.6, chenGoodman[2], 1e-12);
        double[] singletonsOnly = ByteNgram.discounts(new long[] {0, 500, 0, 0, 0});
        assertEquals(1.0, singletonsOnly[0], "random data: a singleton keeps nothing");
        double[] skewed = ByteNgram.discounts(new long[] {0, 10, 1, 50, 0});
        assertEquals(ByteNgram.MIN_DISCOUNT, skewed[1], "a negative estimate is clamped");
    }

    /**
     * Interpolated modified Kneser-Ney read straight off the formulas, with string-keyed maps: the reference the
     * compact tables must reproduce.
     */
    static final class NaiveKneserNey {
        private final int maxOrder;
        private final Map<String, Integer> raw = new HashMap<>();
        private final Map<String, Set<Character>> leftNeighbours = new HashMap<>();

        NaiveKneserNey(char[] s, int maxOrder) {
            this.maxOrder = maxOrder;
            for (int i = 1; i < s.length; i++) {
                for (int n = 1; n <= maxOrder && i - n + 1 >= 0; n++) {
                    String gram = new String(s, i - n + 1, n);
                    raw.merge(gram, 1, Integer::sum);
                    if (n >= 2) leftNeighbours.computeIfAbsent(gram.substring(1), k -> new HashSet<>()).add(gram.charAt(0));
                }
            }
        }

        int count(String gram, boolean top) {
            if (top) return raw.getOrDefault(gram, 0);
            return leftNeighbours.getOrDefault(gram, Set.of()).size();
        }

        double[] discounts(int n, boolean top) {
            long[] cc = new long[5];
            for (String g : raw.keySet()) {
                if (g.length() != n) continue;
                int c = count(g, top);
                if (c >= 1 && c <= 4) cc[c]++;
            }
            return ByteNgram.discounts(cc);
        }

        double probability(char[] s, int i, int w, int order) {
            double p = 1.0 / ByteSymbols.ALPHABET;
            for (int n = 1; n <= order; n++) {
                if (i - n + 1 < 0) break;
                String h = new String(s, i - n + 1, n - 1);
                boolean top = n == order;
                long total = 0, n1 = 0, n2 = 0, n3 = 0;
                for (int v = 0; v < ByteSymbols.ALPHABET; v++) {
                    int c = count(h + (char) v, top);
                    total += c;
                    if (c == 1) n1++;
                    else if (c == 2) n2++;
                    else if (c >= 3) n3++;
                }
                if (total == 0) continue;
                double[] d = discounts(n, top);
                int c = count(h + (char) w, top);
                double kept = c == 0 ? 0 : c - d[Math.min(c, 3) - 1];
                p = (kept + (d[0] * n1 + d[1] * n2 + d[2] * n3) * p) / total;
            }
            return p;
        }
    }
}
