package headroom.scoring.predict;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class VocabLawTest {

    private static final VocabLaw ONES = new VocabLaw(1, 1, 0.5, 1, 0.5, 1, 0.5);

    @Test
    void handValueInTaoUnits() {
        // Nnv 4M -> 4^-0.5 = 0.5; V d 1M -> 1; D 0.25B tokens -> 0.25^-0.5 = 2; tokens per byte ln 2 -> one nat per token = one bit per byte
        assertEquals(1 + 0.5 + 1 + 2, ONES.predict(new LawInput(4e6, 1e6, Math.log(2), 0.25e9)), 1e-12);
    }

    @Test
    void theReducibleLossIsPaidOncePerToken() {
        // twice the tokens per byte: the same per-token excess, paid twice per byte; the floor stays
        assertEquals(1 + 2 * 3.5, ONES.predict(new LawInput(4e6, 1e6, 2 * Math.log(2), 0.25e9)), 1e-12);
    }

    @Test
    void thePriorIsTaoEtAlsApproach3Coefficients() {
        VocabLaw p = VocabLaw.TAO_2024_PRIOR;
        assertEquals(p.alpha1(), p.beta());
        assertEquals(0.6707374679896795, p.alpha2());
        assertEquals(0.0, p.floorBpb());
    }

    @Test
    void inputsMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new LawInput(0, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new VocabLaw(1, -1, 0.5, 1, 0.5, 1, 0.5));
    }
}
