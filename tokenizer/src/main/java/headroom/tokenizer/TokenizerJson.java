package headroom.tokenizer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import headroom.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A {@link BpeModel} as a HuggingFace tokenizer.json: Split(GPT-4 regex, Isolated) then ByteLevel
 * (no regex of its own) as pre-tokenizer, a BPE model (byte-level vocab and merges), a ByteLevel
 * decoder, no normalizer, no post-processor.
 *
 * <p>Specials sit in the model vocab only, never in {@code added_tokens}: HuggingFace matches
 * added tokens in the input text, so a document containing the literal "&lt;|bos|&gt;" would become
 * one special token of 0 bytes and break the byte audit. In the model vocab a special can only be
 * produced by a merge, and no merge produces it (see {@link BpeConfig}).
 *
 * <p>The output is byte-for-byte deterministic: fixed key order, vocab by id, merges in order (one a
 * line), "\n" line ends.
 */
public final class TokenizerJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final DefaultIndenter LINES = new DefaultIndenter("  ", "\n");

    private TokenizerJson() {
    }

    public static void write(BpeModel model, Path file) throws IOException {
        AtomicFiles.write(file, toJson(model).getBytes(StandardCharsets.UTF_8));
    }

    /** Rebuilds the model (merge counts are not stored: they read back as 0). */
    public static BpeModel read(Path file) {
        JsonNode root;
        try {
            root = MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("tokenizer file " + file + " cannot be read as JSON: " + e.getMessage(), e);
        }
        try {
            return fromJson(root);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tokenizer file " + file + " is not a Headroom byte-level BPE tokenizer: "
                    + e.getMessage(), e);
        }
    }

    static String toJson(BpeModel model) {
        ObjectNode root = settings();
        ObjectNode bpe = root.putObject("model");
        bpe.put("type", "BPE");
        bpe.putNull("dropout");
        bpe.putNull("unk_token");
        bpe.putNull("continuing_subword_prefix");
        bpe.putNull("end_of_word_suffix");
        bpe.put("fuse_unk", false);
        bpe.put("byte_fallback", false);
        bpe.put("ignore_merges", false);
        ObjectNode vocab = bpe.putObject("vocab");
        String[] names = tokenNames(model);
        for (int id = 0; id < names.length; id++) {
            if (vocab.has(names[id])) {
                throw new IllegalStateException("token " + id + " has the same name as token " + vocab.get(names[id]) + ": " + names[id]);
            }
            vocab.put(names[id], id);
        }
        ArrayNode merges = bpe.putArray("merges");
        for (MergeStep merge : model.merges()) {
            // "left right": byte-level names never hold a space (it is 'Ġ'), so the split is unambiguous
            merges.add(names[merge.left()] + " " + names[merge.right()]);
        }
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter().withObjectIndenter(LINES).withArrayIndenter(LINES);
        try {
            return MAPPER.writer(printer).writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize tokenizer.json", e);
        }
    }

    /** Everything but the model: what every tokenizer.json of ours shares. */
    private static ObjectNode settings() {
        ObjectNode root = NODES.objectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        root.putArray("added_tokens");
        root.putNull("normalizer");
        ObjectNode preTokenizer = root.putObject("pre_tokenizer");
        preTokenizer.put("type", "Sequence");
        ArrayNode steps = preTokenizer.putArray("pretokenizers");
        ObjectNode split = steps.addObject();
        split.put("type", "Split");
        split.putObject("pattern").put("Regex", ByteLevel.SPLIT_REGEX);
        split.put("behavior", "Isolated");
        split.put("invert", false);
        byteLevel(steps.addObject());
        root.putNull("post_processor");
        byteLevel(root.putObject("decoder"));
        return root;
    }

    private static void byteLevel(ObjectNode node) {
        node.put("type", "ByteLevel");
        node.put("add_prefix_space", false);
        node.put("trim_offsets", true);
        node.put("use_regex", false);
    }

    private static String[] tokenNames(BpeModel model) {
        String[] names = new String[model.vocabSize()];
        for (int id = 0; id < names.length; id++) {
            names[id] = model.isSpecial(id)
                    ? model.specialTokens().get(id - model.bosId())
                    : ByteLevel.toByteChars(model.tokenBytes(id));
        }
        return names;
    }

    private static BpeModel fromJson(JsonNode root) {
        ObjectNode expected = settings();
        for (Iterator<String> it = expected.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!expected.get(field).equals(root.get(field))) {
                throw new IllegalArgumentException("\"" + field + "\" must be " + expected.get(field) + ", got " + root.get(field));
            }
        }
        JsonNode bpe = root.path("model");
        if (!"BPE".equals(bpe.path("type").asText())) {
            throw new IllegalArgumentException("model.type must be BPE, got " + bpe.get("type"));
        }
        JsonNode vocab = bpe.path("vocab");
        JsonNode mergeList = bpe.path("merges");
        if (!vocab.isObject() || !mergeList.isArray()) {
            throw new IllegalArgumentException("model.vocab must be an object and model.merges an array");
        }
        Map<String, Integer> ids = new HashMap<>();
        String[] names = new String[vocab.size()];
        for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            int id = entry.getValue().asInt(-1);
            if (!entry.getValue().canConvertToInt() || id < 0 || id >= names.length || names[id] != null) {
                throw new IllegalArgumentException("vocab ids must be 0.." + (names.length - 1) + ", each once; got "
                        + entry.getValue() + " for \"" + entry.getKey() + "\"");
            }
            names[id] = entry.getKey();
            ids.put(entry.getKey(), id);
        }
        int specials = names.length - 256 - mergeList.size();
        if (specials < 1) {
            throw new IllegalArgumentException("vocab must hold 256 bytes, at least one special and one entry per merge; got "
                    + names.length + " entries and " + mergeList.size() + " merges");
        }
        for (int b = 0; b < 256; b++) {
            if (!ByteLevel.toByteChars(new byte[] {(byte) b}).equals(names[b])) {
                throw new IllegalArgumentException("vocab id " + b + " must be the byte " + b + ", got \"" + names[b] + "\"");
            }
        }
        List<String> specialTokens = List.of(names).subList(256, 256 + specials);
        List<MergeStep> merges = new ArrayList<>(mergeList.size());
        int firstMergeId = 256 + specials;
        for (int i = 0; i < mergeList.size(); i++) {
            JsonNode pair = mergeList.get(i);
            String[] parts = pair.asText().split(" ", -1);
            if (!pair.isTextual() || parts.length != 2) {
                throw new IllegalArgumentException("merge " + i + " must be \"left right\", got " + pair);
            }
            Integer left = ids.get(parts[0]);
            Integer right = ids.get(parts[1]);
            Integer merged = ids.get(parts[0] + parts[1]);
            if (left == null || right == null || merged == null || merged != firstMergeId + i) {
                throw new IllegalArgumentException("merge " + i + " " + pair + " must join two vocab tokens into vocab id "
                        + (firstMergeId + i));
            }
            merges.add(new MergeStep(left, right, merged, 0));
        }
        return new BpeModel(specialTokens, merges);
    }
}
