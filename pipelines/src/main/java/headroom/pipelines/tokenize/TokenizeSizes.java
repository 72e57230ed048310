package headroom.pipelines.tokenize;

import headroom.model.CandidateNames;
import headroom.pipelines.conf.ConfException;
import headroom.pipelines.run.RunLayout;
import headroom.pipelines.sweep.SweepRows.Candidate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.TreeSet;
import java.util.stream.Stream;

/** The vocabulary sizes tokenize encodes: the conf's sizes and the named candidates' sizes, each exported by the sweep. */
final class TokenizeSizes {

    private TokenizeSizes() {
    }

    /** Sorted and distinct; fails naming a size the sweep did not export and the sizes it did. */
    static List<Integer> resolve(TokenizeConf conf, RunLayout run) {
        TreeSet<Integer> sizes = new TreeSet<>(conf.vocabSizes());
        if (!conf.candidates().isEmpty()) {
            CandidateSelection.select(conf.candidates(), run).stream()
                    .map(Candidate::vocabSize).forEach(sizes::add);
        }
        for (int v : sizes) {
            if (!Files.isRegularFile(run.tokenizerJson(v))) {
                throw new ConfException("vocabulary size " + v + " (from " + TokenizeConf.SECTION + ".vocab-sizes or "
                        + TokenizeConf.CANDIDATES_KEY + ") has no tokenizer in " + run.tokenizers()
                        + ": the sweep exported " + exported(run) + "; add it to headroom.sweep.vocab-sizes and re-run the sweep");
            }
        }
        return List.copyOf(sizes);
    }

    private static List<Integer> exported(RunLayout run) {
        Path dir = run.tokenizers();
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> CandidateNames.parseVocab(p.getFileName().toString())).filter(OptionalInt::isPresent)
                    .map(OptionalInt::getAsInt).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }
}
