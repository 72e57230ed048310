package headroom.pipelines.train;

import headroom.core.io.AtomicFiles;
import headroom.core.io.Sha256;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Which tokenizer a model was trained with: {@code models/<candidate>/tokenizer.sha256} holds the
 * SHA-256 of its {@code tokenizer.json}. A model's ids mean nothing under another tokenizer, so a
 * scorer checks the tokenizer it is about to use against it and refuses a mismatch.
 */
public final class TokenizerProvenance {

    public static final String FILE = "tokenizer.sha256";

    private TokenizerProvenance() {
    }

    /** Records {@code tokenizerJson}'s SHA-256 in {@code modelDir}. */
    static void write(Path modelDir, Path tokenizerJson) throws IOException {
        AtomicFiles.write(modelDir.resolve(FILE), (Sha256.of(tokenizerJson) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** The SHA-256 the model recorded; empty for a model trained before it was recorded, or by hand. */
    public static Optional<String> recorded(Path modelDir) throws IOException {
        Path file = modelDir.resolve(FILE);
        return Files.isRegularFile(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8).trim()) : Optional.empty();
    }

    /**
     * Throws unless {@code tokenizerJson} is the tokenizer the model in {@code modelDir} was trained with;
     * returns false (nothing to check) when the model recorded none.
     */
    public static boolean check(Path modelDir, Path tokenizerJson) throws IOException {
        Optional<String> trained = recorded(modelDir);
        if (trained.isEmpty()) return false;
        String now = Sha256.of(tokenizerJson);
        if (!now.equals(trained.get())) {
            throw new IllegalStateException("the model in " + modelDir + " was trained with the tokenizer of sha256 " + trained.get() + " but "
                    + tokenizerJson + " has sha256 " + now + ": the sweep was re-run since, and the model's ids would be read as other"
                    + " tokens. Re-run 'headroom tokenize' and 'headroom train', or restore the sweep the model was trained with");
        }
        return true;
    }
}
