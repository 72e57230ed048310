package headroom.pipelines.tokenize;

import headroom.model.CandidateNames;
import headroom.pipelines.conf.ConfException;
import headroom.pipelines.run.RunLayout;
import headroom.pipelines.spark.RecordTable;
import headroom.pipelines.sweep.SweepRows.Candidate;
import headroom.pipelines.sweep.SweepRows.CandidatePrediction;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Resolves the candidate names of {@code headroom.train.candidates} (or {@code --candidate})
 * against the sweep's candidate table. A name is a full candidate name ({@code v1024-tied-d192-2x2-m2}),
 * a selector {@code v{V}-{head}} with head = tied, untied or fact{r} (the sweep keeps one cap-filling
 * row per vocabulary and head, so a selector names exactly one row), or {@value #HYPOTHESIS}: the A, B
 * and C rows of every designed vocabulary pair, or {@code top:K}: the K candidates with the lowest
 * predicted bits per byte in the sweep's predictions table (docs/PREDICTOR.md), plus the designed A, B
 * and C when the sweep has any. A row without a model
 * (its head alone over the cap) is an error that says why.
 */
public final class CandidateSelection {

    /** Selects every hypothesis design row (roles A, B, C). */
    public static final String HYPOTHESIS = "hypothesis";
    private static final Pattern TOP = Pattern.compile("top:(\\d+)");

    private CandidateSelection() {
    }

    /** {@link #select(List, List, List)} on the sweep's tables of a run; the predictions are read only when a name asks for them. */
    public static List<Candidate> select(List<String> names, RunLayout run) {
        boolean ranked = names.stream().anyMatch(n -> TOP.matcher(n.trim()).matches());
        return select(names, read(run), ranked ? readPredictions(run) : List.of());
    }

    /** The rows named by {@code names} (no {@code top:K}), in the order first named, each candidate name once. */
    public static List<Candidate> select(List<String> names, List<Candidate> all) {
        return select(names, all, List.of());
    }

    /** The rows named by {@code names}, in the order first named, each candidate name once; {@code top:K} takes the K best predictions. */
    public static List<Candidate> select(List<String> names, List<Candidate> all, List<CandidatePrediction> predictions) {
        Map<String, Candidate> byName = all.stream().collect(Collectors.toMap(Candidate::name, Function.identity(), (a, b) -> a));
        Map<String, Candidate> chosen = new LinkedHashMap<>();
        for (String raw : names) {
            String name = raw.trim();
            Matcher top = TOP.matcher(name);
            if (top.matches()) {
                best(Integer.parseInt(top.group(1)), byName, predictions).forEach(c -> chosen.putIfAbsent(c.name(), trainable(c)));
                // the hypothesis's A, B and C come with the ranking when a design is configured (issue 10)
                all.stream().filter(c -> !c.role().isEmpty()).forEach(c -> chosen.putIfAbsent(c.name(), trainable(c)));
                continue;
            }
            if (name.equals(HYPOTHESIS)) {
                List<Candidate> design = all.stream().filter(c -> !c.role().isEmpty()).toList();
                if (design.isEmpty()) {
                    throw new ConfException("candidate 'hypothesis' names the A, B and C of headroom.hypothesis.pairs, but the sweep "
                            + "designed none: set headroom.hypothesis.pairs (e.g. [[512, 2048]]) and re-run the sweep");
                }
                design.forEach(c -> chosen.putIfAbsent(c.name(), trainable(c)));
                continue;
            }
            Candidate exact = byName.get(name);
            if (exact != null) {
                chosen.putIfAbsent(exact.name(), trainable(exact));
                continue;
            }
            List<Candidate> matches = all.stream().filter(c -> c.role().isEmpty() && selector(c).equals(name)).toList();
            if (matches.size() > 1) {
                throw new ConfException("candidate selector '" + name + "' matches " + matches.size() + " rows ("
                        + matches.stream().map(Candidate::name).toList() + "): use a full name");
            }
            if (matches.isEmpty()) {
                throw new ConfException("candidate '" + name + "' is not in the sweep's candidates: use a full name "
                        + all.stream().map(Candidate::name).distinct().toList() + ", a selector "
                        + all.stream().map(CandidateSelection::selector).distinct().toList() + " or '" + HYPOTHESIS + "'");
            }
            chosen.putIfAbsent(matches.get(0).name(), trainable(matches.get(0)));
        }
        return List.copyOf(chosen.values());
    }

    /**
     * The K best-ranked candidates (the law's rank; then the lowest predicted bits per byte, then the name), best first.
     * A ranking on the uncalibrated prior has ranks and no bits per byte.
     */
    static List<Candidate> best(int k, Map<String, Candidate> byName, List<CandidatePrediction> predictions) {
        List<CandidatePrediction> known = predictions.stream().filter(p -> byName.containsKey(p.candidate()))
                .sorted(Comparator.comparingInt(CandidatePrediction::rank).thenComparingDouble(CandidatePrediction::predictedBpb)
                        .thenComparing(CandidatePrediction::candidate)).toList();
        if (k < 1 || k > known.size()) {
            throw new ConfException("candidate selector 'top:" + k + "' asks for " + k + " candidates, but the sweep predicted "
                    + known.size() + ": use top:1 to top:" + known.size());
        }
        return known.subList(0, k).stream().map(p -> byName.get(p.candidate())).toList();
    }

    private static Candidate trainable(Candidate c) {
        if (c.dModel() == 0) throw new ConfException("candidate " + c.name() + " has no model under the cap: " + c.note());
        return c;
    }

    /** {@code v{V}-{head}}: the vocabulary and head mode of a candidate, e.g. v1024-tied or v4096-fact64. */
    public static String selector(Candidate c) {
        return CandidateNames.selector(c.vocabSize(), c.headMode(), c.headRank());
    }

    /** Reads the sweep's candidates.csv; fails naming the file when it is missing or malformed. */
    public static List<Candidate> read(RunLayout run) {
        Path file = RunLayout.csv(run.candidates());
        if (!Files.isRegularFile(file)) {
            throw new ConfException("no sweep candidate table at " + file + ": run 'headroom sweep' first");
        }
        return RecordTable.readCsv(file, Candidate.class);
    }

    /** Reads the sweep's predictions.csv; fails naming the file when the sweep predates the predictor. */
    public static List<CandidatePrediction> readPredictions(RunLayout run) {
        Path file = RunLayout.csv(run.predictions());
        if (!Files.isRegularFile(file)) {
            throw new ConfException("'top:K' needs the sweep's predictions at " + file + ": re-run 'headroom sweep'");
        }
        return RecordTable.readCsv(file, CandidatePrediction.class);
    }
}
