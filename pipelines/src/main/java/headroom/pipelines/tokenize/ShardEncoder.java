package headroom.pipelines.tokenize;

import headroom.core.io.FileTrees;
import headroom.model.CandidateNames;
import headroom.pipelines.run.RunLayout;
import headroom.tokenizer.BpeModel;
import headroom.core.ByteAudit;
import headroom.tokenizer.HfEncoder;
import headroom.tokenizer.TokenizerJson;
import headroom.tokenizer.shards.ParameterGolfShardWriter;
import headroom.tokenizer.shards.ShardSummary;
import headroom.tokenizer.shards.TokenShardWriter;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple2;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Executor side of tokenize: one partition of a split ({@code ((doc_id, text), position in the
 * split)} in doc_id order) becomes one Arrow shard per vocabulary size, and
 * optionally one Parameter Golf shard. The partition is read once; every tokenizer encodes each
 * document as it passes, so memory stays flat. Each document passes the byte audit.
 */
final class ShardEncoder {

    /** What every task of one split needs: small and serializable. {@code stagingRoot} is on a file system all executors see. */
    record Job(String split, String stagingRoot, List<Integer> vocabSizes, boolean parameterGolf) implements Serializable {
    }

    /** One Arrow shard a task wrote (and its Parameter Golf twin, if exported), for the driver's manifests. */
    record WrittenShard(int vocabSize, int partition, String file, long documents, long tokens, long textBytes,
                        String sha256) implements Serializable {
        ShardSummary summary() {
            return new ShardSummary(file, documents, tokens, textBytes, sha256);
        }
    }

    /** Progress counters, merged on the driver as tasks finish. {@code encodeNanos}: time inside the tokenizers, summed over sizes and tasks. */
    record Counters(LongAccumulator documents, LongAccumulator textBytes, LongAccumulator encodeNanos) implements Serializable {
    }

    private ShardEncoder() {
    }

    static String shardName(int partition) {
        return String.format("part-%05d.arrow", partition);
    }

    /** @param tokenizers vocabulary size -> tokenizer.json contents */
    static List<WrittenShard> encode(Job job, Map<Integer, byte[]> tokenizers, Counters counters, int partition,
                                     Iterator<Tuple2<Tuple2<String, String>, Long>> docs) throws IOException {
        if (!docs.hasNext()) return List.of(); // an empty range partition writes no file
        Path temp = Files.createTempDirectory("headroom-tokenize");
        List<VocabWriter> writers = new ArrayList<>();
        try {
            for (int v : job.vocabSizes()) writers.add(new VocabWriter(job, v, tokenizers.get(v), temp, partition));
            while (docs.hasNext()) {
                Tuple2<Tuple2<String, String>, Long> doc = docs.next();
                String docId = doc._1()._1();
                String text = doc._1()._2();
                int textBytes = text.getBytes(StandardCharsets.UTF_8).length;
                for (VocabWriter w : writers) w.write(docId, doc._2(), text, textBytes, counters.encodeNanos());
                counters.documents().add(1);
                counters.textBytes().add(textBytes);
            }
            List<WrittenShard> out = new ArrayList<>();
            for (VocabWriter w : writers) out.add(w.finish());
            return out;
        } finally {
            closeAll(writers);
            FileTrees.deleteTree(temp);
        }
    }

    private static void closeAll(List<VocabWriter> writers) throws IOException {
        IOException first = null;
        for (VocabWriter w : writers) {
            try {
                w.close();
            } catch (IOException e) {
                if (first == null) first = e; else first.addSuppressed(e);
            }
        }
        if (first != null) throw first;
    }

    /** One vocabulary size's encoder and writers within one task. */
    private static final class VocabWriter implements AutoCloseable {
        private final String split;
        private final int vocabSize;
        private final int partition;
        private final int bosId;
        private final int[] tokenBytes;
        private final HfEncoder encoder;
        private final TokenShardWriter shard;
        private final ParameterGolfShardWriter parameterGolf;
        private final ParameterGolfShardWriter byteSidecar;

        VocabWriter(Job job, int vocabSize, byte[] tokenizerJson, Path temp, int partition) throws IOException {
            this.split = job.split();
            this.vocabSize = vocabSize;
            this.partition = partition;
            // DJL loads tokenizers from files only, so each task stages its own copy of the broadcast bytes
            Path json = temp.resolve(CandidateNames.vocab(vocabSize) + ".json");
            Files.write(json, tokenizerJson);
            BpeModel model = TokenizerJson.read(json);
            this.bosId = model.bosId();
            this.tokenBytes = model.tokenByteLengths();
            this.encoder = HfEncoder.load(json);
            RunLayout out = new RunLayout(Path.of(job.stagingRoot()));
            TokenShardWriter opened = null;
            ParameterGolfShardWriter golf = null;
            try {
                opened = new TokenShardWriter(out.shards(vocabSize, split).resolve(shardName(partition)));
                Path pg = out.parameterGolf(vocabSize);
                golf = job.parameterGolf() ? new ParameterGolfShardWriter(pg.resolve(ParameterGolfExport.shardName(split, partition))) : null;
                this.byteSidecar = job.parameterGolf() && ParameterGolfExport.hasByteSidecar(split)
                        ? new ParameterGolfShardWriter(pg.resolve(ParameterGolfExport.byteSidecarName(partition))) : null;
            } catch (IOException | RuntimeException e) {
                try (HfEncoder en = encoder; TokenShardWriter sh = opened; ParameterGolfShardWriter g = golf) {
                    throw e; // the caller never sees this writer, so release what it already holds
                }
            }
            this.shard = opened;
            this.parameterGolf = golf;
        }

        void write(String docId, long docIndex, String text, int textBytes, LongAccumulator encodeNanos) throws IOException {
            long t0 = System.nanoTime();
            int[] ids = encoder.encode(text);
            encodeNanos.add(System.nanoTime() - t0);
            ByteAudit.check("doc_id " + docId + " of corpus/" + split + " under v" + vocabSize,
                    ByteAudit.targetBytes(ids, tokenBytes), textBytes);
            shard.writeDocument(docIndex, bosId, ids, textBytes);
            if (parameterGolf != null) parameterGolf.writeDocument(bosId, ids);
            if (byteSidecar != null) byteSidecar.writeDocument(0, byteLengths(ids)); // BOS stands for no bytes of text
        }

        /** Each token's UTF-8 bytes: the sidecar Parameter Golf's scorer divides by (their sum passed the byte audit above). */
        private int[] byteLengths(int[] ids) {
            int[] bytes = new int[ids.length];
            for (int i = 0; i < ids.length; i++) bytes[i] = tokenBytes[ids[i]];
            return bytes;
        }

        WrittenShard finish() throws IOException {
            ShardSummary s = shard.finish();
            if (parameterGolf != null) parameterGolf.finish();
            if (byteSidecar != null) byteSidecar.finish();
            return new WrittenShard(vocabSize, partition, s.file(), s.documents(), s.tokens(), s.textBytes(), s.sha256());
        }

        @Override
        public void close() throws IOException {
            try (HfEncoder e = encoder; TokenShardWriter s = shard; ParameterGolfShardWriter p = parameterGolf;
                 ParameterGolfShardWriter b = byteSidecar) {
                // try-with-resources closes all four; a finished writer's close is a no-op
            }
        }
    }
}
