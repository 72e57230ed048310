package headroom.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerJsonTest {
    // 'Ġ' + 't' -> 'Ġt', then 'Ġt' + 'h' -> 'Ġth'
    private static final BpeModel MODEL = new BpeModel(List.of("<|bos|>", "<|eos|>"),
            List.of(new MergeStep(' ', 't', 258, 9), new MergeStep(258, 'h', 259, 4)));

    @TempDir
    Path dir;

    @Test
    void writesVocabByIdAndOneMergePerLine() {
        String json = TokenizerJson.toJson(MODEL);
        assertTrue(json.contains("\"\u0120\" : 32,\n"), "space is byte-level 'Ġ'");
        assertTrue(json.contains("\"\u0143\" : 173,\n"), "the soft hyphen is the last remapped byte");
        assertTrue(json.contains("\"<|bos|>\" : 256,\n      \"<|eos|>\" : 257,\n      \"\u0120t\" : 258,\n      \"\u0120th\" : 259\n"));
        assertTrue(json.contains("\"merges\" : [\n      \"\u0120 t\",\n      \"\u0120t h\"\n    ]"), json);
        assertTrue(json.contains("\"added_tokens\" : [ ]"), "specials are never added tokens");
        assertTrue(json.endsWith("}\n"));
    }

    @Test
    void readsBackTheModelWithoutCounts() throws IOException {
        Path file = dir.resolve("tokenizer.json");
        TokenizerJson.write(MODEL, file);
        BpeModel read = TokenizerJson.read(file);
        assertEquals(new BpeModel(MODEL.specialTokens(),
                List.of(new MergeStep(' ', 't', 258, 0), new MergeStep(258, 'h', 259, 0))), read);
    }

    @Test
    void unreadableFileIsAClearError() throws IOException {
        Path file = dir.resolve("broken.json");
        Files.writeString(file, "{\"version\": ");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TokenizerJson.read(file));
        assertTrue(e.getMessage().startsWith("tokenizer file " + file + " cannot be read as JSON: "), e.getMessage());
        Path missing = dir.resolve("missing.json");
        e = assertThrows(IllegalArgumentException.class, () -> TokenizerJson.read(missing));
        assertTrue(e.getMessage().startsWith("tokenizer file " + missing + " cannot be read as JSON: "), e.getMessage());
    }

    @Test
    void foreignOrDamagedTokenizerIsAClearError() throws IOException {
        Path file = dir.resolve("tokenizer.json");
        String json = TokenizerJson.toJson(MODEL);

        Files.writeString(file, json.replace("\"Isolated\"", "\"Removed\""));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TokenizerJson.read(file));
        assertTrue(e.getMessage().startsWith("tokenizer file " + file
                + " is not a Headroom byte-level BPE tokenizer: \"pre_tokenizer\" must be "), e.getMessage());

        Files.writeString(file, json.replace("\"\u0120t h\"", "\"\u0120t q\""));
        e = assertThrows(IllegalArgumentException.class, () -> TokenizerJson.read(file));
        assertEquals("tokenizer file " + file + " is not a Headroom byte-level BPE tokenizer: merge 1 \"\u0120t q\" "
                + "must join two vocab tokens into vocab id 259", e.getMessage());
    }
}
