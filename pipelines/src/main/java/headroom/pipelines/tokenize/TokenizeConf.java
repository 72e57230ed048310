package headroom.pipelines.tokenize;

import com.typesafe.config.Config;
import headroom.pipelines.conf.ConfException;
import headroom.pipelines.conf.ConfReader;
import headroom.pipelines.conf.HeadroomConf;
import headroom.tokenizer.BpeConfig;

import java.util.List;

/**
 * The {@code headroom.tokenize} section, plus {@code headroom.train.candidates}: the sizes to
 * encode are the listed ones and those of the candidates that train will fit (see reference.conf).
 */
public record TokenizeConf(
        List<Integer> vocabSizes,        // extra sizes, e.g. [512]; each must be one the sweep exported
        List<String> candidates,         // e.g. ["v1024-tied"]: full candidate names or v{V}-{head} selectors
        boolean parameterGolfExport,     // also write shards/v{V}/pg/{split}_NNNNNN.bin
        int partitions) {                // shards per split; 0 = twice Spark's default parallelism

    public static final String SECTION = "headroom.tokenize";
    public static final String CANDIDATES_KEY = "headroom.train.candidates";

    public TokenizeConf {
        vocabSizes = List.copyOf(vocabSizes);
        candidates = List.copyOf(candidates);
        if (vocabSizes.isEmpty() && candidates.isEmpty()) {
            throw new ConfException("nothing to tokenize: " + SECTION + ".vocab-sizes and " + CANDIDATES_KEY
                    + " are both empty; list a vocabulary size or a candidate");
        }
        if (partitions < 0) throw ConfException.badValue(SECTION + ".partitions", partitions, "must be >= 0 (0 = automatic)");
    }

    public static TokenizeConf from(Config config) {
        ConfReader r = new ConfReader(config, SECTION);
        return new TokenizeConf(
                r.intList("vocab-sizes", 257, BpeConfig.MAX_VOCAB_SIZE),
                new ConfReader(config, "headroom.train").stringOrList("candidates"),
                r.bool("parameter-golf-export"),
                r.intIn("partitions", 0, 100_000));
    }

    /** The conf this stage depends on, as JSON: its own section and the candidate list. */
    public static String snapshot(Config config) {
        return HeadroomConf.render(config, SECTION) + HeadroomConf.render(config, CANDIDATES_KEY);
    }

    public int partitions(int defaultParallelism) {
        return partitions > 0 ? partitions : 2 * Math.max(1, defaultParallelism);
    }
}
