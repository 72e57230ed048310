package headroom.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ReferenceTokenizersTest {

    @Test
    void countsKnownTexts() {
        for (String name : ReferenceTokenizers.NAMES) {
            // "Hello" "," " world" "!"
            assertEquals(4, ReferenceTokenizers.countTokens(name, "Hello, world!"), name);
        }
        assertEquals(0, ReferenceTokenizers.countTokens("o200k_base", ""));
    }

    @Test
    void specialTokenTextCountsAsOrdinaryText() {
        // "<" "|" "end" "of" "text" "|" ">", not the one special token 50256
        assertEquals(7, ReferenceTokenizers.countTokens("r50k_base", "<|endoftext|>"));
    }

    @Test
    void unknownEncodingIsRejected() {
        assertEquals("encodingName must be one of [r50k_base, cl100k_base, o200k_base], got p50k_base",
                assertThrows(IllegalArgumentException.class,
                        () -> ReferenceTokenizers.countTokens("p50k_base", "x")).getMessage());
    }

    @Test
    void vocabularySizesIncludeTheSpecials() {
        assertEquals(50_257, ReferenceTokenizers.vocabSize("r50k_base"));   // 50,000 merges + 256 bytes + <|endoftext|>
        assertEquals(100_277, ReferenceTokenizers.vocabSize("cl100k_base"));
        assertEquals(200_019, ReferenceTokenizers.vocabSize("o200k_base"));
        assertThrows(IllegalArgumentException.class, () -> ReferenceTokenizers.vocabSize("p50k_base"));
    }
}
