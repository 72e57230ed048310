package headroom.scoring.predict;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LawTermsTest {

    // one nat per token = one bit per byte at ln 2 tokens per byte
    private static final double TPB = Math.log(2);
    private static final List<LawInput> RUNS = List.of(new LawInput(1e6, 1e6, TPB, 1e9), new LawInput(4e6, 1e6, TPB, 1e9));

    @Test
    void handValuesOfEachTerm() {
        VocabLaw law = new VocabLaw(1, 1, 0.5, 1, 0.5, 1, 0.5);
        List<LawTerms.Effect> e = LawTerms.effects(law, RUNS, new LawInput(16e6, 1e6, TPB, 1e9));
        // trunk: 1^-0.5 - 4^-0.5 = 0.5 across the runs; 4^-0.5 - 16^-0.5 = 0.25 further to the target
        assertEquals("trunk", e.get(0).term());
        assertEquals(0.5, e.get(0).acrossRunsBpb(), 1e-12);
        assertEquals(0.25, e.get(0).toTargetBpb(), 1e-12);
        // head and data do not vary across these runs nor towards the target
        assertEquals(0, e.get(1).acrossRunsBpb(), 1e-12);
        assertEquals(0, e.get(2).toTargetBpb(), 1e-12);
        assertFalse(e.get(0).flat(0.005));
        assertTrue(e.get(1).flat(0.005));
    }

    @Test
    void aCollapsedCoefficientIsFlatWhateverTheInputs() {
        VocabLaw collapsed = new VocabLaw(1.4, 1.9e-22, 0.01, 1.7, 0.036, 1.9e-22, 0.01);
        List<LawTerms.Effect> e = LawTerms.effects(collapsed, RUNS, new LawInput(10e6, 8e6, TPB, 1e6));
        assertTrue(e.get(0).flat(0.005), "trunk");
        assertTrue(e.get(2).flat(0.005), "data");
        assertEquals(0, e.get(0).toTargetBpb(), 1e-15);
    }

    @Test
    void aTargetInsideTheRunsNeedsNoExtrapolation() {
        VocabLaw law = new VocabLaw(1, 1, 0.5, 1, 0.5, 1, 0.5);
        assertEquals(0, LawTerms.effects(law, RUNS, new LawInput(2e6, 1e6, TPB, 1e9)).get(0).toTargetBpb(), 1e-12);
    }
}
