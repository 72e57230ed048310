package headroom.scoring.predict;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RankStatsTest {

    @Test
    void spearmanWithoutTiesIsOneMinusSixSumDSquaredOverNNSquaredMinusOne() {
        // d = (1, -1, 1, -1, 0): sum d^2 = 4; 1 - 6*4 / (5*24) = 0.8
        assertEquals(0.8, RankStats.spearman(new double[]{1, 2, 3, 4, 5}, new double[]{2, 1, 4, 3, 5}), 1e-12);
        assertEquals(-1.0, RankStats.spearman(new double[]{1, 2, 3}, new double[]{30, 20, 10}), 1e-12);
        // ranks only: any increasing transform gives 1
        assertEquals(1.0, RankStats.spearman(new double[]{1, 2, 3, 4}, new double[]{1, 8, 27, 1000}), 1e-12);
    }

    @Test
    void tiesShareTheirAverageRank() {
        assertArrayEquals(new double[]{1, 2, 3.5, 5, 3.5}, RankStats.ranks(new double[]{5, 6, 7, 8, 7}));
        // ranks (1,2,3,4,5) against (1,2,3.5,5,3.5): sab = 8, saa = 10, sbb = 9.5
        assertEquals(8 / Math.sqrt(95), RankStats.spearman(new double[]{1, 2, 3, 4, 5}, new double[]{5, 6, 7, 8, 7}), 1e-12);
    }

    @Test
    void undefinedCorrelationsAreNaN() {
        assertTrue(Double.isNaN(RankStats.spearman(new double[]{1}, new double[]{2})));
        assertTrue(Double.isNaN(RankStats.spearman(new double[]{1, 2, 3}, new double[]{4, 4, 4})));
    }

    @Test
    void pairOrderAccuracyCountsPairsOrderedAsMeasuredTiesHalf() {
        // measured 1 < 2 < 3 < 4; predicted swaps the middle two: 5 of 6 pairs in order
        assertEquals(5 / 6.0, RankStats.pairOrderAccuracy(new double[]{10, 30, 20, 40}, new double[]{1, 2, 3, 4}), 1e-12);
        // a predictor that ties everything is a coin
        assertEquals(0.5, RankStats.pairOrderAccuracy(new double[]{7, 7, 7}, new double[]{1, 2, 3}), 1e-12);
        assertEquals(0.0, RankStats.pairOrderAccuracy(new double[]{3, 2, 1}, new double[]{1, 2, 3}), 1e-12);
        assertEquals(6, RankStats.pairs(4));
        assertTrue(Double.isNaN(RankStats.pairOrderAccuracy(new double[]{1}, new double[]{1})));
    }

    @Test
    void meanAbsoluteError() {
        assertEquals(0.5, RankStats.meanAbsoluteError(new double[]{1, 2, 3}, new double[]{1.5, 2, 2}), 1e-12);
    }
}
