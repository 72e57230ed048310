package headroom.pipelines.tokenize;

import headroom.pipelines.conf.ConfException;
import headroom.pipelines.spark.RecordTable;
import headroom.pipelines.sweep.SweepRows.Candidate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Resolves the candidate names of {@code headroom.train.candidates} (or {@code --candidate})
 * against the sweep's candidate table. A name is either a full candidate name
 * ({@code v1024-tied-d192-2x2}) or a selector {@code v{V}-{head}} with head = tied, untied or
 * fact{r}: the sweep keeps one candidate (the widest that fits) per vocabulary and head, so a
 * selector names exactly one row.
 */
public final class CandidateSelection {

    /** The sweep's candidate table, as RecordTable writes it beside the Parquet copy. */
    public static final String TABLE = "candidates.csv";

    private CandidateSelection() {
    }

    /** The rows named by {@code names}, in the order first named, each once. */
    public static List<Candidate> select(List<String> names, List<Candidate> all) {
        Map<String, Candidate> byName = all.stream().collect(Collectors.toMap(Candidate::name, Function.identity(), (a, b) -> a));
        LinkedHashSet<Candidate> chosen = new LinkedHashSet<>();
        for (String raw : names) {
            String name = raw.trim();
            Candidate exact = byName.get(name);
            if (exact != null) {
                chosen.add(exact);
                continue;
            }
            List<Candidate> matches = all.stream().filter(c -> selector(c).equals(name)).toList();
            if (matches.size() > 1) {
                throw new ConfException("candidate selector '" + name + "' matches " + matches.size() + " rows ("
                        + matches.stream().map(Candidate::name).toList() + "): use a full name");
            }
            if (matches.isEmpty()) {
                throw new ConfException("candidate '" + name + "' is not in the sweep's candidates: use a full name "
                        + all.stream().map(Candidate::name).toList() + " or a selector "
                        + all.stream().map(CandidateSelection::selector).distinct().toList());
            }
            chosen.add(matches.get(0));
        }
        return List.copyOf(chosen);
    }

    /** {@code v{V}-{head}}: the vocabulary and head mode of a candidate, e.g. v1024-tied or v4096-fact64. */
    public static String selector(Candidate c) {
        String head = c.headMode().equals("factorized") ? "fact" + c.headRank() : c.headMode();
        return "v" + c.vocabSize() + "-" + head;
    }

    /** Reads {@code sweepDir/candidates.csv}; fails naming the file when it is missing or malformed. */
    public static List<Candidate> read(Path sweepDir) {
        Path file = sweepDir.resolve(TABLE);
        if (!Files.isRegularFile(file)) {
            throw new ConfException("no sweep candidate table at " + file + ": run 'headroom sweep' first");
        }
        return RecordTable.readCsv(file, Candidate.class);
    }
}
