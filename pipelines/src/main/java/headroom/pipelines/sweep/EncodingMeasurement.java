package headroom.pipelines.sweep;

import headroom.core.io.FileTrees;
import headroom.core.ByteAudit;
import headroom.tokenizer.HfEncoder;
import headroom.tokenizer.ReferenceTokenizers;
import headroom.tokenizer.TokenizerJson;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tokens per byte of a text collection under each exported tokenizer.json, measured where the
 * data is: every partition loads each tokenizer once through DJL (the same file users get) and
 * encodes its documents, auditing that the tokens' bytes add up to the text's UTF-8 bytes.
 * The reference tokenizers (GPT-2, cl100k, o200k) run in the same pass.
 */
final class EncodingMeasurement {

    /** Totals for one tokenizer over one text collection. Tokens exclude BOS. */
    record Totals(long documents, long tokens, long bytes) implements Serializable {
        Totals plus(Totals o) {
            return new Totals(documents + o.documents, tokens + o.tokens, bytes + o.bytes);
        }

        double tokensPerByte() {
            return bytes == 0 ? Double.NaN : (double) tokens / bytes;
        }
    }

    private EncodingMeasurement() {
    }

    /**
     * @param tokenizers name ("v1024") -> tokenizer.json contents
     * @return name -> totals, for every tokenizer and every reference tokenizer
     */
    static Map<String, Totals> measure(JavaSparkContext jsc, JavaRDD<String> texts, String what,
                                       Map<String, byte[]> tokenizers, List<String> references) {
        // Broadcast: the tokenizer files (megabytes at large V) reach each executor once, not inside every task.
        Broadcast<LinkedHashMap<String, byte[]>> files = jsc.broadcast(new LinkedHashMap<>(tokenizers));
        Map<String, Totals> result = new LinkedHashMap<>();
        texts.mapPartitions(new PartitionEncoder(what, files, references)).collect().forEach(t -> result.merge(t._1, t._2, Totals::plus));
        files.destroy();
        return result;
    }

    /** What each task carries: the broadcast's handle, never the tokenizers themselves. */
    record PartitionEncoder(String what, Broadcast<LinkedHashMap<String, byte[]>> tokenizers, List<String> references)
            implements FlatMapFunction<Iterator<String>, Tuple2<String, Totals>> {
        PartitionEncoder {
            references = List.copyOf(references);
        }

        @Override
        public Iterator<Tuple2<String, Totals>> call(Iterator<String> it) {
            List<String> docs = new ArrayList<>();
            it.forEachRemaining(docs::add);
            return encodePartition(docs, what, tokenizers.value(), references).iterator();
        }
    }

    private static List<Tuple2<String, Totals>> encodePartition(List<String> docs, String what, Map<String, byte[]> tokenizers,
                                                                 List<String> references) {
        List<Tuple2<String, Totals>> out = new ArrayList<>();
        long bytes = 0;
        for (String d : docs) bytes += d.getBytes(StandardCharsets.UTF_8).length;
        try {
            Path dir = Files.createTempDirectory("headroom-tokenizers");
            try {
                for (Map.Entry<String, byte[]> t : tokenizers.entrySet()) {
                    Path json = dir.resolve(t.getKey() + ".json");
                    Files.write(json, t.getValue());
                    int[] tokenBytes = TokenizerJson.read(json).tokenByteLengths();
                    long tokens = 0;
                    try (HfEncoder encoder = HfEncoder.load(json)) {
                        for (String d : docs) {
                            int[] ids = encoder.encode(d);
                            tokens += ids.length;
                            ByteAudit.check(what + " document under " + t.getKey(), ByteAudit.targetBytes(ids, tokenBytes),
                                    d.getBytes(StandardCharsets.UTF_8).length);
                        }
                    }
                    out.add(new Tuple2<>(t.getKey(), new Totals(docs.size(), tokens, bytes)));
                }
            } finally {
                FileTrees.deleteTree(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage a tokenizer file on this executor: " + e.getMessage(), e);
        }
        for (String ref : references) {
            long tokens = 0;
            for (String d : docs) tokens += ReferenceTokenizers.countTokens(ref, d);
            out.add(new Tuple2<>(ref, new Totals(docs.size(), tokens, bytes)));
        }
        return out;
    }
}
