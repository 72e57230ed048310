package headroom.pipelines.tokenize;

import headroom.tokenizer.shards.ShardManifest;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One vocabulary size and split as written: the counts of its manifest and the files.
 *
 * @param tokens each document's BOS included, as stored
 */
record SplitTotals(int vocabSize, String split, long documents, long tokens, long textBytes, int files, int parameterGolfFiles) {

    SplitTotals {
        if (tokens < documents) throw new IllegalArgumentException("tokens must be >= documents (one BOS each) = " + documents + ", got " + tokens);
        if (textBytes < 0) throw new IllegalArgumentException("textBytes must be >= 0, got " + textBytes);
    }

    static SplitTotals of(ShardManifest m, int parameterGolfFiles) {
        return new SplitTotals(m.vocabSize(), m.split(), m.documents(), m.tokens(), m.textBytes(), m.shards().size(), parameterGolfFiles);
    }

    /** Text tokens per byte, BOS left out: the same measure as the sweep's val_tokens_per_byte. */
    double tokensPerByte() {
        return textBytes == 0 ? Double.NaN : (double) (tokens - documents) / textBytes;
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("documents", documents);
        m.put("tokens", tokens);
        m.put("text_bytes", textBytes);
        m.put("tokens_per_byte", Math.round(tokensPerByte() * 1e6) / 1e6);
        m.put("files", files);
        m.put("parameter_golf_files", parameterGolfFiles);
        return m;
    }
}
