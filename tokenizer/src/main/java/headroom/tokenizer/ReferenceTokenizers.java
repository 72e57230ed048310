package headroom.tokenizer;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import java.util.List;

/** Token counts of OpenAI's tokenizers (jtokkit, same counts as tiktoken): the reference rows of the sweep. */
public final class ReferenceTokenizers {

    /** GPT-2 (r50k), GPT-4 (cl100k), GPT-4o (o200k). */
    public static final List<String> NAMES = List.of("r50k_base", "cl100k_base", "o200k_base");

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

    /** Built on first use: loading the encodings' tables takes a moment. */
    private static final class Registry {
        static final EncodingRegistry INSTANCE = Encodings.newLazyEncodingRegistry();
    }
}
