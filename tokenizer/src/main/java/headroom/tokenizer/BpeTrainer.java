package headroom.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Byte-level BPE training over pre-token counts, the HuggingFace tokenizers algorithm
 * (models/bpe/trainer.rs): pair counts kept incrementally with the words that hold each pair,
 * and a priority queue whose stale entries are re-pushed lazily. A merge touches only the words
 * that contain its pair; the whole table is never recounted.
 *
 * <p>The trainer holds only its config; all working state is local to {@link #train}.
 */
public final class BpeTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(BpeTrainer.class);
    private static final long PROGRESS_NANOS = 5_000_000_000L;

    private final BpeConfig config;

    public BpeTrainer(BpeConfig config) {
        this.config = config;
    }

    /**
     * Learns merges until {@code vocabSize} ids or until no pair occurs {@code minFrequency} times;
     * in the latter case the model is smaller than asked (see {@link BpeModel#vocabSize()}).
     *
     * @param wordCounts each distinct pre-token's bytes and its count in the training text
     */
    public BpeModel train(Map<Bytes, Long> wordCounts) {
        long start = System.nanoTime();
        // 1. ids: bytes, then specials, then merges
        int firstMergeId = config.firstMergeId();
        int[] tokenLengths = new int[config.vocabSize()];
        Arrays.fill(tokenLengths, 0, 256, 1);

        // 2. words: single-byte words have no pair and never change, so they are left out
        List<Word> wordList = new ArrayList<>();
        long[] counts = new long[wordCounts.size()];
        for (Map.Entry<Bytes, Long> entry : wordCounts.entrySet()) {
            long count = entry.getValue();
            if (count < 1) {
                throw new IllegalArgumentException("word counts must be >= 1, got " + count + " for \"" + entry.getKey() + "\"");
            }
            if (entry.getKey().length() >= 2) {
                counts[wordList.size()] = count;
                wordList.add(new Word(entry.getKey().array()));
            }
        }
        Word[] words = wordList.toArray(new Word[0]);

        // 3. pair counts and the words that hold each pair
        PairTable pairs = countPairs(words, counts);
        LOG.info("bpe start | words {} | pairs {} | vocabSize {} | minFrequency {} | maxTokenBytes {}",
                words.length, pairs.size(), config.vocabSize(), config.minFrequency(), config.maxTokenBytes());

        // 4. the queue, best pair first
        PriorityQueue<Merge> queue = new PriorityQueue<>(pairs.frequentPairs(config.minFrequency()));

        // 5. merges
        List<MergeStep> merges = mergeLoop(words, counts, pairs, queue, tokenLengths, firstMergeId);
        double seconds = (System.nanoTime() - start) / 1e9;
        int vocabSize = firstMergeId + merges.size();
        if (vocabSize < config.vocabSize()) {
            LOG.warn("bpe stopped at vocabSize {} < requested {}: no pair left with count >= minFrequency {}",
                    vocabSize, config.vocabSize(), config.minFrequency());
        }
        LOG.info("bpe done | vocabSize {} | merges {} | {} s | {} merges/s", vocabSize, merges.size(),
                String.format("%.2f", seconds), String.format("%.0f", merges.size() / Math.max(seconds, 1e-9)));
        return new BpeModel(config.specialTokens(), merges);
    }

    /** UTF-8 bytes of the training text described by {@code wordCounts}: its token count at 256 + specials. */
    public static long byteCount(Map<Bytes, Long> wordCounts) {
        long bytes = 0;
        for (Map.Entry<Bytes, Long> entry : wordCounts.entrySet()) {
            bytes = Math.addExact(bytes, Math.multiplyExact((long) entry.getKey().length(), entry.getValue()));
        }
        return bytes;
    }

    private static PairTable countPairs(Word[] words, long[] counts) {
        PairTable pairs = new PairTable(1 << 16);
        for (int w = 0; w < words.length; w++) {
            Word word = words[w];
            for (int i = 0; i + 1 < word.size(); i++) {
                int slot = pairs.slot(PairTable.key(word.symbol(i), word.symbol(i + 1)));
                pairs.addCount(slot, counts[w]);
                pairs.addWord(slot, w);
            }
        }
        return pairs;
    }

    private List<MergeStep> mergeLoop(Word[] words, long[] counts, PairTable pairs, PriorityQueue<Merge> queue,
                                      int[] tokenLengths, int firstMergeId) {
        int mergesWanted = config.vocabSize() - firstMergeId;
        List<MergeStep> merges = new ArrayList<>(mergesWanted);
        int[] lastVisit = new int[words.length]; // merge number that last visited each word
        PairDeltas deltas = new PairDeltas();
        long[] newPairs = new long[16];
        TokenBytes tokens = new TokenBytes(config.vocabSize());
        int duplicates = 0;
        long start = System.nanoTime();
        long nextLog = start + PROGRESS_NANOS;
        while (merges.size() < mergesWanted && !queue.isEmpty()) {
            if (Thread.currentThread().isInterrupted()) {
                // A cancelled caller interrupts the thread; a long BPE run stops here rather than at its end.
                throw new java.util.concurrent.CancellationException("BPE training interrupted after " + merges.size() + " merges");
            }
            // the best pair, unless its entry is stale
            Merge top = queue.poll();
            long key = PairTable.key(top.left(), top.right());
            long fresh = pairs.count(key);
            if (fresh != top.count()) {
                // stale: counts only fall after a pair appears, so re-queue it at its true count
                if (fresh >= config.minFrequency()) {
                    queue.add(new Merge(fresh, top.left(), top.right()));
                }
                continue;
            }
            int newId = firstMergeId + merges.size();
            byte[] joined = tokens.join(top.left(), top.right(), newId);
            if (joined == null) {
                // HF would reuse the existing id; an id per merge keeps every prefix a tokenizer, so skip it
                duplicates++;
                continue;
            }
            tokenLengths[newId] = joined.length;

            // merge it in every word that holds it; pair counts move by the word's count
            int visit = merges.size() + 1;
            long removed = 0;
            int newPairCount = 0;
            for (int w : pairs.takeWords(key)) {
                if (lastVisit[w] == visit) {
                    continue;
                }
                lastVisit[w] = visit;
                deltas.clear();
                removed += words[w].merge(top.left(), top.right(), newId, deltas) * counts[w];
                for (int d = 0; d < deltas.size(); d++) {
                    int left = deltas.left(d);
                    int right = deltas.right(d);
                    if (tokenLengths[left] + tokenLengths[right] > config.maxTokenBytes()) {
                        continue; // too long to ever merge: never counted
                    }
                    long pairKey = PairTable.key(left, right);
                    int slot = pairs.slot(pairKey);
                    pairs.addCount(slot, deltas.delta(d) * counts[w]);
                    if (deltas.delta(d) > 0) {
                        pairs.addWord(slot, w);
                        if (newPairCount == newPairs.length) {
                            newPairs = Arrays.copyOf(newPairs, newPairCount * 2);
                        }
                        newPairs[newPairCount++] = pairKey;
                    }
                }
            }

            // every occurrence is gone; the pairs made with the new id join the queue
            if (pairs.count(key) != 0) {
                throw new IllegalStateException("pair count of merged pair " + top + " is " + pairs.count(key) + ", not 0");
            }
            queueNewPairs(newPairs, newPairCount, pairs, queue);
            merges.add(new MergeStep(top.left(), top.right(), newId, removed));
            long now = System.nanoTime();
            if (now >= nextLog) {
                nextLog = now + PROGRESS_NANOS;
                double seconds = (now - start) / 1e9;
                LOG.info("bpe merge {}/{} | count {} | {} s | {} merges/s", merges.size(), mergesWanted, top.count(),
                        String.format("%.1f", seconds), String.format("%.0f", merges.size() / seconds));
            }
        }
        if (duplicates > 0) {
            LOG.info("bpe skipped {} pairs whose bytes an earlier token already had", duplicates);
        }
        return merges;
    }

    /** Pairs that gained occurrences all hold the new id, so each is queued once, at its final count. */
    private void queueNewPairs(long[] newPairs, int newPairCount, PairTable pairs, PriorityQueue<Merge> queue) {
        Arrays.sort(newPairs, 0, newPairCount);
        for (int i = 0; i < newPairCount; i++) {
            if (i > 0 && newPairs[i] == newPairs[i - 1]) {
                continue;
            }
            long count = pairs.count(newPairs[i]);
            if (count >= config.minFrequency()) {
                queue.add(new Merge(count, PairTable.left(newPairs[i]), PairTable.right(newPairs[i])));
            }
        }
    }
}
