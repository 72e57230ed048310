package headroom.pipelines.tokenize;

import headroom.pipelines.run.RunLayout;
import headroom.pipelines.conf.ConfException;
import headroom.pipelines.spark.RecordTable;
import headroom.pipelines.sweep.SweepRows.Candidate;
import headroom.pipelines.sweep.SweepRows.CandidatePrediction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Candidate names and selectors, and the table reader, without Spark. */
class CandidateSelectionTest {

    private static Candidate row(String name, String role, int vocabSize, String headMode, int headRank, int dModel, double valTokensPerByte) {
        return new Candidate(name, role, role.isEmpty() ? "" : "512/1024", vocabSize, headMode, headRank, dModel, 3, 3, 2, "emb=int8", 1000,
                100, 900, 950, 0.95, false, dModel == 0 ? "the head alone is over the cap" : "", 50, 0.3, valTokensPerByte, 64, 213.3, 2.5);
    }

    private static final Candidate V512_TIED = row("v512-tied-d96-3x3-m2", "", 512, "tied", 0, 96, 0.31);
    private static final Candidate V1024_TIED = row("v1024-tied-d96-3x3-m2", "", 1024, "tied", 0, 96, 0.27);
    private static final Candidate V1024_FACT = row("v1024-fact64-d128-3x3-m2", "", 1024, "factorized", 64, 128, Double.NaN);
    private static final Candidate V1024_A = row("v1024-tied-d96-3x3-m2", "A", 1024, "tied", 0, 96, 0.27);
    private static final Candidate V512_B = row("v512-tied-d96-3x3-m2", "B", 512, "tied", 0, 96, 0.31);
    private static final Candidate V512_C = row("v512-tied-d128-3x3-m2", "C", 512, "tied", 0, 128, 0.31);
    private static final Candidate V4096_UNTIED = row("v4096-untied", "", 4096, "untied", 0, 0, 0.2);
    private static final List<Candidate> ALL = List.of(V512_TIED, V1024_TIED, V1024_FACT, V1024_A, V512_B, V512_C, V4096_UNTIED);

    @Test
    void fullNamesAndSelectorsNameRowsOnceInFirstNamedOrder() {
        assertEquals(List.of(V1024_TIED, V1024_FACT),
                CandidateSelection.select(List.of("v1024-tied", "v1024-fact64-d128-3x3-m2", "v1024-tied-d96-3x3-m2"), ALL));
        assertEquals(List.of(V1024_FACT), CandidateSelection.select(List.of("v1024-fact64"), ALL));
        assertEquals("v1024-fact64", CandidateSelection.selector(V1024_FACT));
    }

    private static CandidatePrediction predicted(Candidate c, double bpb) {
        return new CandidatePrediction(0, c.name(), c.vocabSize(), c.headMode(), c.dModel(), bpb, Double.NaN, Double.NaN, "prior");
    }

    @Test
    void topKSelectsTheKLowestPredictions() {
        // listed out of order, and not in the candidates' order: selection follows the predictions alone
        List<CandidatePrediction> predictions = List.of(predicted(V512_TIED, 2.10), predicted(V1024_FACT, 1.95), predicted(V1024_TIED, 2.01));
        List<Candidate> plain = List.of(V512_TIED, V1024_TIED, V1024_FACT, V4096_UNTIED);
        assertEquals(List.of(V1024_FACT), CandidateSelection.select(List.of("top:1"), plain, predictions));
        assertEquals(List.of("v1024-fact64-d128-3x3-m2", "v1024-tied-d96-3x3-m2", "v512-tied-d96-3x3-m2", "v512-tied-d128-3x3-m2"),
                CandidateSelection.select(List.of("top:1"), ALL, predictions).stream().map(Candidate::name).toList(),
                "the K best, then the hypothesis design when the sweep has one");
        assertEquals(List.of(V1024_FACT, V1024_TIED), CandidateSelection.select(List.of("top:2"), plain, predictions));
        assertEquals(List.of(V512_TIED, V1024_FACT), CandidateSelection.select(List.of("v512-tied", "top:1"), plain, predictions), "names and top:K combine");
        ConfException tooMany = assertThrows(ConfException.class, () -> CandidateSelection.select(List.of("top:4"), plain, predictions));
        assertTrue(tooMany.getMessage().contains("use top:1 to top:3"), tooMany.getMessage());
    }

    @Test
    void topKReadsTheSweepsPredictions(@TempDir Path dir) throws IOException {
        Files.writeString(csv(new RunLayout(dir).candidates()), RecordTable.csv(List.of(V512_TIED, V1024_TIED, V1024_FACT), Candidate.class));
        ConfException missing = assertThrows(ConfException.class, () -> CandidateSelection.select(List.of("top:1"), new RunLayout(dir)));
        assertTrue(missing.getMessage().contains("re-run 'headroom sweep'"), missing.getMessage());
        Files.writeString(csv(new RunLayout(dir).predictions()), RecordTable.csv(
                List.of(predicted(V1024_TIED, 1.5), predicted(V512_TIED, 1.7)), CandidatePrediction.class));
        assertEquals(List.of(V1024_TIED), CandidateSelection.select(List.of("top:1"), new RunLayout(dir)));
        assertEquals(List.of(V512_TIED), CandidateSelection.select(List.of("v512-tied"), new RunLayout(dir)), "names alone need no predictions");
    }

    /** "hypothesis" names the design rows; a name shared with a per-vocabulary row is trained once. */
    @Test
    void hypothesisNamesTheDesignOnceEach() {
        assertEquals(List.of("v1024-tied-d96-3x3-m2", "v512-tied-d96-3x3-m2", "v512-tied-d128-3x3-m2"),
                CandidateSelection.select(List.of("hypothesis", "v512-tied"), ALL).stream().map(Candidate::name).toList());
        ConfException e = assertThrows(ConfException.class, () -> CandidateSelection.select(List.of("hypothesis"), List.of(V512_TIED)));
        assertTrue(e.getMessage().contains("set headroom.hypothesis.pairs"), e.getMessage());
    }

    @Test
    void aCandidateWithoutAModelSaysWhy() {
        ConfException e = assertThrows(ConfException.class, () -> CandidateSelection.select(List.of("v4096-untied"), ALL));
        assertEquals("candidate v4096-untied has no model under the cap: the head alone is over the cap", e.getMessage());
    }

    @Test
    void anUnknownNameListsNamesAndSelectors() {
        ConfException e = assertThrows(ConfException.class, () -> CandidateSelection.select(List.of("v1024-fact32"), ALL));
        assertEquals("candidate 'v1024-fact32' is not in the sweep's candidates: use a full name "
                + "[v512-tied-d96-3x3-m2, v1024-tied-d96-3x3-m2, v1024-fact64-d128-3x3-m2, v512-tied-d128-3x3-m2, v4096-untied], a selector "
                + "[v512-tied, v1024-tied, v1024-fact64, v4096-untied] or 'hypothesis'", e.getMessage());
    }

    @Test
    void theTableReadsBackWhatRecordTableWrote(@TempDir Path dir) throws IOException {
        Files.writeString(csv(new RunLayout(dir).candidates()), RecordTable.csv(ALL, Candidate.class));
        assertEquals(ALL, CandidateSelection.read(new RunLayout(dir))); // NaN written as "" reads back as NaN
    }

    @Test
    void aMissingTableSaysToRunTheSweep(@TempDir Path dir) {
        ConfException e = assertThrows(ConfException.class, () -> CandidateSelection.read(new RunLayout(dir)));
        assertTrue(e.getMessage().contains("run 'headroom sweep' first"), e.getMessage());
    }

    /** The csv copy of a sweep table, its folder made. */
    private static Path csv(Path table) throws IOException {
        Files.createDirectories(table.getParent());
        return RunLayout.csv(table);
    }
}
