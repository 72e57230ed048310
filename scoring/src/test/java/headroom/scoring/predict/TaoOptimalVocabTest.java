package headroom.scoring.predict;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Against Tao et al.'s own computation: their approach3_isoloss dl_dv solved with scipy's fsolve
 * (sail-sg/scaling-with-vocab optimal_Nv_predict.py, coefficients as published; xtol 1e-13).
 */
class TaoOptimalVocabTest {

    @Test
    void matchesTheirPredictorAtComputeOptimalFlops() {
        double nnv = 2.87e9; // their 3B model
        assertEquals(1.185507333955592e21, TaoOptimalVocab.computeOptimalFlops(nnv), 1e9);
        assertEquals(35271.60508120803, TaoOptimalVocab.optimalVocab(nnv, 3200, TaoOptimalVocab.computeOptimalFlops(nnv)), 1e-3);
        assertEquals(59547.57555799588, TaoOptimalVocab.optimalVocab(7e9, 4096, TaoOptimalVocab.computeOptimalFlops(7e9)), 1e-3);
    }

    @Test
    void matchesTheirPredictorAtOurSizes() {
        assertEquals(1574.9585788927377, TaoOptimalVocab.optimalVocab(1e6, 128, 1e15), 1e-4);
        assertEquals(3859.1934754287286, TaoOptimalVocab.optimalVocab(15e6, 512, 6 * 16e6 * 2e9), 1e-4);
    }
}
