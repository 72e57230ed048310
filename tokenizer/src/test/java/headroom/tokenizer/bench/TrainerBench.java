package headroom.tokenizer.bench;

import headroom.tokenizer.BpeConfig;
import headroom.tokenizer.BpeModel;
import headroom.tokenizer.BpeTrainer;
import headroom.tokenizer.ByteLevel;
import headroom.tokenizer.Bytes;
import headroom.tokenizer.HfEncoder;
import headroom.tokenizer.TokenizerJson;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Our side of the tokenizer benchmark (bench/tokenizer-bench.sh runs it beside HuggingFace and
 * sentencepiece). Not a test: two commands, each one process so /usr/bin/time measures it alone.
 * <pre>
 * train CORPUS VOCAB_SIZE OUT_JSON THREADS   count pre-tokens on THREADS threads, train once, write tokenizer.json
 * eval  TOKENIZER_JSON HELDOUT V,V,...       held-out tokens per byte at each size (prefixes of the merges), via DJL
 * </pre>
 */
public final class TrainerBench {

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "train" -> train(Path.of(args[1]), Integer.parseInt(args[2]), Path.of(args[3]), Integer.parseInt(args[4]));
            case "eval" -> eval(Path.of(args[1]), Path.of(args[2]), args[3]);
            default -> throw new IllegalArgumentException("usage: train CORPUS V OUT THREADS | eval JSON HELDOUT SIZES");
        }
    }

    private static void train(Path corpus, int vocabSize, Path out, int threads) throws Exception {
        long t0 = System.nanoTime();
        List<String> docs = Files.readAllLines(corpus, StandardCharsets.UTF_8);
        Map<Bytes, Long> counts = count(docs, threads);
        long t1 = System.nanoTime();
        BpeModel model = new BpeTrainer(BpeConfig.of(vocabSize)).train(counts);
        long t2 = System.nanoTime();
        Files.createDirectories(out.getParent());
        TokenizerJson.write(model, out);
        System.err.printf("read+count %.2f s (%d distinct pre-tokens, %d threads), train %.2f s to %d ids%n",
                (t1 - t0) / 1e9, counts.size(), threads, (t2 - t1) / 1e9, model.vocabSize());
    }

    /** The sweep's map-reduce in one JVM: per-thread maps over document slices, then merged. */
    private static Map<Bytes, Long> count(List<String> docs, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Map<Bytes, Long>>> parts = new ArrayList<>();
        int n = docs.size();
        for (int t = 0; t < threads; t++) {
            List<String> slice = docs.subList(n * t / threads, n * (t + 1) / threads);
            parts.add(pool.submit(() -> {
                Map<Bytes, Long> local = new HashMap<>();
                for (String d : slice) for (String p : ByteLevel.pieces(d)) local.merge(Bytes.of(p), 1L, Long::sum);
                return local;
            }));
        }
        Map<Bytes, Long> all = new HashMap<>();
        for (Future<Map<Bytes, Long>> f : parts) f.get().forEach((k, v) -> all.merge(k, v, Long::sum));
        pool.shutdown();
        return all;
    }

    private static void eval(Path json, Path heldout, String sizes) throws IOException {
        BpeModel full = TokenizerJson.read(json);
        List<String> lines = Files.readAllLines(heldout, StandardCharsets.UTF_8);
        long bytes = 0;
        for (String l : lines) bytes += l.getBytes(StandardCharsets.UTF_8).length;
        Path dir = Files.createTempDirectory("trainer-bench");
        for (String s : sizes.split(",")) {
            int v = Integer.parseInt(s.trim());
            Path f = dir.resolve("v" + v + ".json");
            TokenizerJson.write(full.truncate(v), f);
            long tokens = 0;
            try (HfEncoder enc = HfEncoder.load(f)) {
                for (String l : lines) tokens += enc.encode(l).length;
            }
            System.out.printf("%d\t%d\t%d\t%.5f%n", v, tokens, bytes, (double) tokens / bytes);
        }
    }
}
