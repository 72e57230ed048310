package headroom.pipelines.tokenize;

import headroom.pipelines.conf.ConfException;
import headroom.pipelines.spark.RecordTable;
import headroom.pipelines.sweep.SweepRows.Candidate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (lines.isEmpty()) throw new IllegalStateException(file + " is empty: it needs a header line");
        List<String> header = cells(lines.get(0));
        RecordComponent[] components = Candidate.class.getRecordComponents();
        int[] column = new int[components.length];
        for (int i = 0; i < components.length; i++) {
            column[i] = header.indexOf(RecordTable.snake(components[i].getName()));
            if (column[i] < 0) {
                throw new IllegalStateException(file + " has no column " + RecordTable.snake(components[i].getName())
                        + " (columns: " + header + "): it was written by another version; re-run the sweep");
            }
        }
        List<Candidate> rows = new ArrayList<>();
        for (int n = 1; n < lines.size(); n++) {
            if (lines.get(n).isEmpty()) continue;
            List<String> cells = cells(lines.get(n));
            if (cells.size() != header.size()) {
                throw new IllegalStateException(file + " line " + (n + 1) + " has " + cells.size() + " cells, the header " + header.size());
            }
            Object[] values = new Object[components.length];
            for (int i = 0; i < components.length; i++) values[i] = parse(components[i].getType(), cells.get(column[i]), file, n + 1);
            rows.add(construct(values, components));
        }
        return rows;
    }

    private static Object parse(Class<?> type, String cell, Path file, int line) {
        try {
            if (type == int.class) return Integer.parseInt(cell);
            if (type == long.class) return Long.parseLong(cell);
            if (type == double.class) return cell.isEmpty() ? Double.NaN : Double.parseDouble(cell); // RecordTable writes NaN as ""
            return cell;
        } catch (NumberFormatException e) {
            throw new IllegalStateException(file + " line " + line + ": '" + cell + "' is not a " + type.getSimpleName(), e);
        }
    }

    private static Candidate construct(Object[] values, RecordComponent[] components) {
        try {
            Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
            return Candidate.class.getDeclaredConstructor(types).newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build a candidate row", e);
        }
    }

    /** One CSV line as RecordTable writes it: quoted cells may hold commas and doubled quotes. */
    static List<String> cells(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted && ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                cell.append('"');
                i++;
            } else if (ch == '"') {
                quoted = !quoted;
            } else if (ch == ',' && !quoted) {
                out.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(ch);
            }
        }
        out.add(cell.toString());
        return out;
    }
}
