package headroom.tokenizer;

import headroom.core.ByteAudit;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exported tokenizer.json through DJL's HuggingFace tokenizers against the Java side. */
class HfEncoderTest {
    private static final List<String> TRICKY = List.of(
            "caf\u00E9 \uD83D\uDC4B\uD83C\uDFFD \u4F60\u597D\uFF0C\u4E16\u754C",
            "line one\r\nline two\r\n\r\n",
            "    four spaces, then\ttab   and three",
            "\u00A0\u2003\u3000 unicode spaces",
            "",
            " ");

    @TempDir
    Path dir;

    private Path export(BpeModel model) throws IOException {
        Path file = dir.resolve("tokenizer.json");
        TokenizerJson.write(model, file);
        return file;
    }

    @Test
    void huggingFaceSplitsTheTrickyTableLikeJava() throws IOException {
        // merge everything (min frequency 1): each pre-token becomes one token, so HF's ids show HF's pieces
        List<String> texts = ByteLevelTest.PIECE_TABLE.stream().map(row -> row.get(0)).toList();
        BpeModel model = new BpeTrainer(new BpeConfig(4096, 1, List.of("<|bos|>"), 64)).train(WordCounts.of(texts));
        try (HfEncoder hf = HfEncoder.load(export(model))) {
            for (List<String> row : ByteLevelTest.PIECE_TABLE) {
                List<String> hfPieces = new ArrayList<>();
                for (int id : hf.encode(row.get(0))) {
                    hfPieces.add(new String(model.tokenBytes(id), StandardCharsets.UTF_8));
                }
                assertEquals(row.subList(1, row.size()), hfPieces, "HF pieces of \"" + row.get(0) + "\"");
            }
        }
    }

    @Test
    void decodeOfEncodeIsByteExact() throws IOException {
        BpeModel model = new BpeTrainer(BpeConfig.of(512)).train(WordCounts.of(DemoCorpus.train().subList(0, 2000)));
        BpeEncoder ours = new BpeEncoder(model);
        try (HfEncoder hf = HfEncoder.load(export(model))) {
            for (String text : TRICKY) {
                int[] ids = hf.encode(text);
                assertArrayEquals(ours.encode(text), ids, "ids of \"" + text + "\"");
                assertEquals(text, hf.decode(ids));
                assertEquals(text, ours.decode(ids));
                ByteAudit.check("\"" + text + "\"", ByteAudit.targetBytes(ids, model.tokenByteLengths()),
                        text.getBytes(StandardCharsets.UTF_8).length);
            }
        }
    }

    @Test
    void literalSpecialTokenTextEncodesAsOrdinaryBytes() throws IOException {
        // "<|bos|>" is frequent here, yet no merge may rebuild it and HF must not match it as a special
        Map<Bytes, Long> counts = WordCounts.of(List.of("<|bos|> hello <|bos|> world <|bos|>", "<|bos|><|bos|>"));
        BpeModel model = new BpeTrainer(new BpeConfig(400, 1, List.of("<|bos|>"), 64)).train(counts);
        String text = "a <|bos|> b<|bos|>";
        BpeEncoder ours = new BpeEncoder(model);
        try (HfEncoder hf = HfEncoder.load(export(model))) {
            int[] ids = hf.encode(text);
            assertArrayEquals(ours.encode(text), ids);
            for (int id : ids) {
                assertTrue(id != model.bosId(), "BOS must never come out of encoding text");
            }
            ByteAudit.check("literal <|bos|>", ByteAudit.targetBytes(ids, model.tokenByteLengths()), 18);
            assertEquals(text, hf.decode(ids));
            // BOS itself decodes to its name on both sides
            assertEquals("<|bos|>a", hf.decode(new int[] {model.bosId(), 'a'}));
            assertEquals("<|bos|>a", ours.decode(new int[] {model.bosId(), 'a'}));
        }
    }

    @Test
    void longTextIsNeitherTruncatedNorGivenSpecialTokens() throws IOException {
        BpeModel model = new BpeTrainer(BpeConfig.of(300)).train(WordCounts.of(DemoCorpus.train().subList(0, 500)));
        String text = String.join("\n", DemoCorpus.heldOut().subList(0, 60));
        try (HfEncoder hf = HfEncoder.load(export(model))) {
            int[] ids = hf.encode(text);
            assertTrue(ids.length > 2000, "tokens: " + ids.length);
            assertArrayEquals(new BpeEncoder(model).encode(text), ids);
        }
    }

    @Test
    void missingFileIsAClearError() {
        Path missing = dir.resolve("nope/tokenizer.json");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HfEncoder.load(missing));
        assertEquals("tokenizer file " + missing + " does not exist or is not a readable file", e.getMessage());
    }

    @Test
    void malformedFileIsAClearError() throws IOException {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"model\": {\"type\": \"BPE\", \"vocab\": 12}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HfEncoder.load(bad));
        assertTrue(e.getMessage().startsWith("tokenizer file " + bad + " cannot be loaded by HuggingFace tokenizers: "),
                e.getMessage());
    }
}
