package headroom.tokenizer;

import java.util.HashMap;
import java.util.Map;

/** Pre-token counts of documents in one JVM: the trainer's input (the sweep stage counts with Spark instead). */
public final class WordCounts {

    private WordCounts() {
    }

    public static Map<Bytes, Long> of(Iterable<String> documents) {
        Map<Bytes, Long> counts = new HashMap<>();
        for (String document : documents) {
            for (String piece : ByteLevel.pieces(document)) {
                counts.merge(Bytes.of(piece), 1L, Long::sum);
            }
        }
        return counts;
    }
}
