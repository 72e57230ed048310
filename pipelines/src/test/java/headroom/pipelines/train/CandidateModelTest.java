package headroom.pipelines.train;

import headroom.pipelines.Headroom;
import headroom.pipelines.conf.ConfException;
import headroom.pipelines.sweep.RecipeConf;
import headroom.pipelines.sweep.SweepRows.Candidate;
import headroom.model.BudgetFit;
import headroom.model.ModelConfig;
import headroom.model.ModelConfig.HeadMode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CandidateModelTest {

    private static final BudgetFit.Recipe RECIPE = RecipeConf.from(Headroom.conf(null, "model.head-size=32", "model.seq-len=64"));

    private static Candidate candidate(String headMode, int headRank, int dModel, int uniqueBlocks, int loops) {
        return new Candidate("c", "", "", 2048, headMode, headRank, dModel, uniqueBlocks, loops, 4, "emb=int8", 0, 0, 0, 0, 0.99, true, "", 0,
                0.3, 0.31, 96, 320, 1e6);
    }

    @Test
    void theSweepsShapeAndContextWithTheRecipesRest() {
        // d = 192 with head size 32: 6 query heads, 2 queries per KV head -> 3 KV heads; U, MLP multiple and T are the sweep's.
        ModelConfig m = CandidateModel.config(candidate("factorized", 48, 192, 5, 3), RECIPE);
        assertEquals(List.of(2048, 192, 6, 3, 5, 3, 4, 48, 96), List.of(m.vocabSize(), m.dModel(), m.numHeads(), m.numKvHeads(),
                m.uniqueBlocks(), m.loops(), m.mlpMult(), m.headRank(), m.maxSeqLen()));
        assertEquals(HeadMode.FACTORIZED, m.headMode());
        assertEquals(ModelConfig.Conditioning.LOOP_GAIN, m.conditioning());
        assertEquals(30.0, m.softCap());
    }

    @Test
    void aCandidateSizedForAnotherRecipeIsRefused() {
        ConfException loops = assertThrows(ConfException.class, () -> CandidateModel.config(candidate("tied", 0, 192, 3, 4), RECIPE));
        assertTrue(loops.getMessage().contains("4 loops") && loops.getMessage().contains("re-run 'headroom sweep'"), loops.getMessage());
        ConfException width = assertThrows(ConfException.class, () -> CandidateModel.config(candidate("tied", 0, 96, 3, 3), RECIPE));
        assertTrue(width.getMessage().contains("dModel 96") && width.getMessage().contains("= 64"), width.getMessage());
    }
}
