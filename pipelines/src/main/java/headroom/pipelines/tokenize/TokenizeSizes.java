package headroom.pipelines.tokenize;

import headroom.pipelines.conf.ConfException;
import headroom.pipelines.sweep.SweepRows.Candidate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/** The vocabulary sizes tokenize encodes: the conf's sizes and the named candidates' sizes, each exported by the sweep. */
final class TokenizeSizes {

    private TokenizeSizes() {
    }

    /** Sorted and distinct; fails naming a size the sweep did not export and the sizes it did. */
    static List<Integer> resolve(TokenizeConf conf, Path sweepDir) {
        TreeSet<Integer> sizes = new TreeSet<>(conf.vocabSizes());
        if (!conf.candidates().isEmpty()) {
            CandidateSelection.select(conf.candidates(), sweepDir).stream()
                    .map(Candidate::vocabSize).forEach(sizes::add);
        }
        for (int v : sizes) {
            if (!Files.isRegularFile(tokenizerJson(sweepDir, v))) {
                throw new ConfException("vocabulary size " + v + " (from " + TokenizeConf.SECTION + ".vocab-sizes or "
                        + TokenizeConf.CANDIDATES_KEY + ") has no tokenizer in " + sweepDir.resolve("tokenizers")
                        + ": the sweep exported " + exported(sweepDir) + "; add it to headroom.sweep.vocab-sizes and re-run the sweep");
            }
        }
        return List.copyOf(sizes);
    }

    static Path tokenizerJson(Path sweepDir, int vocabSize) {
        return sweepDir.resolve("tokenizers").resolve("v" + vocabSize).resolve("tokenizer.json");
    }

    private static List<Integer> exported(Path sweepDir) {
        Path dir = sweepDir.resolve("tokenizers");
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("v\\d+"))
                    .map(n -> Integer.parseInt(n.substring(1))).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }
}
