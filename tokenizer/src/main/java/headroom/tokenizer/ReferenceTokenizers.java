package headroom.tokenizer;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Token counts of OpenAI's tokenizers (jtokkit, same counts as tiktoken): the reference rows of the sweep. */
public final class ReferenceTokenizers {

    /** GPT-2 (r50k), GPT-4 (cl100k), GPT-4o (o200k), with their vocabulary sizes (specials included). */
    private static final Map<String, Integer> VOCAB_SIZES = new LinkedHashMap<>();

    static {
        VOCAB_SIZES.put("r50k_base", 50_257);
        VOCAB_SIZES.put("cl100k_base", 100_277);
        VOCAB_SIZES.put("o200k_base", 200_019);
    }

    public static final List<String> NAMES = List.copyOf(VOCAB_SIZES.keySet());

    private ReferenceTokenizers() {
    }

    /** Tokens of {@code text}; special-token strings in it count as ordinary text, as for our own tokenizers. */
    public static long countTokens(String encodingName, String text) {
        if (!NAMES.contains(encodingName)) {
            throw new IllegalArgumentException("encodingName must be one of " + NAMES + ", got " + encodingName);
        }
        Encoding encoding = Registry.INSTANCE.getEncoding(encodingName).orElseThrow();
        return encoding.countTokensOrdinary(text);
    }

    /** The encoding's vocabulary size, for the reference rows beside our own sizes. */
    public static int vocabSize(String encodingName) {
        Integer v = VOCAB_SIZES.get(encodingName);
        if (v == null) throw new IllegalArgumentException("encodingName must be one of " + NAMES + ", got " + encodingName);
        return v;
    }

    /** Built on first use: loading the encodings' tables takes a moment. */
    private static final class Registry {
        static final EncodingRegistry INSTANCE = Encodings.newLazyEncodingRegistry();
    }
}
