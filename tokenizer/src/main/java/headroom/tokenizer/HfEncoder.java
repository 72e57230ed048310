package headroom.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * An exported tokenizer.json run through HuggingFace tokenizers (DJL's JNI binding), loaded from a
 * local file only (a hub name would go to the network). No special tokens are added, nothing is
 * truncated or padded: {@code encode} returns exactly the text's tokens. Thread-safe.
 */
public final class HfEncoder implements AutoCloseable {
    private static final Map<String, String> OPTIONS = Map.of(
            "addSpecialTokens", "false",
            "truncation", "false",
            "padding", "false");

    private final HuggingFaceTokenizer tokenizer;

    private HfEncoder(HuggingFaceTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    public static HfEncoder load(Path tokenizerJson) {
        if (!Files.isRegularFile(tokenizerJson) || !Files.isReadable(tokenizerJson)) {
            throw new IllegalArgumentException("tokenizer file " + tokenizerJson + " does not exist or is not a readable file");
        }
        try {
            return new HfEncoder(HuggingFaceTokenizer.newInstance(tokenizerJson, OPTIONS));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("tokenizer file " + tokenizerJson + " cannot be loaded by HuggingFace tokenizers: "
                    + e.getMessage(), e);
        }
    }

    /**
     * The token ids of {@code text}. Takes the ids alone through the JNI (one call instead of the
     * ~7 that {@code Encoding} makes for tokens, masks and spans: about twice the throughput).
     */
    public int[] encode(String text) {
        TokenizersLibrary lib = TokenizersLibrary.LIB;
        long encoding = lib.encode(tokenizer.getHandle(), text, false);
        try {
            long[] ids = lib.getTokenIds(encoding);
            int[] result = new int[ids.length];
            for (int i = 0; i < ids.length; i++) {
                result[i] = (int) ids[i];
            }
            return result;
        } finally {
            lib.deleteEncoding(encoding);
        }
    }

    public String decode(int[] ids) {
        long[] wide = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            wide[i] = ids[i];
        }
        return tokenizer.decode(wide, false);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
