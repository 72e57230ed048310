package headroom.training;

import headroom.training.ModelConfig.Activation;
import headroom.training.ModelConfig.Conditioning;
import headroom.training.ModelConfig.HeadMode;
import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BudgetFitTest {

    private static final long CAP = 16_000_000;

    private static Map<TensorClass, Double> bytesPerParameter(double matrices, double norms) {
        Map<TensorClass, Double> m = new EnumMap<>(TensorClass.class);
        m.put(TensorClass.EMBEDDING_HEAD, matrices);
        m.put(TensorClass.ATTENTION, matrices);
        m.put(TensorClass.MLP, matrices);
        m.put(TensorClass.NORM_CONDITIONING, norms);
        return m;
    }

    private static BudgetFit.Recipe recipe(int uniqueBlocks, int loops, Conditioning conditioning) {
        return new BudgetFit.Recipe(uniqueBlocks, loops, 64, 2, 2, Activation.RELU2, conditioning, false, 10000, 0, 1024);
    }

    /** Parameter Golf's baseline at 0.93 bytes/param (int8 + zlib) lands on its own width. */
    @Test
    void reproducesTheParameterGolfBaselineWidth() {
        BudgetFit fit = new BudgetFit(CAP, 1024, HeadMode.TIED, 0, bytesPerParameter(0.93, 2.0), 20_000, 30_000,
                recipe(9, 1, Conditioning.NONE));
        BudgetFit.Result r = fit.fit();
        assertEquals(512, r.config().dModel());
        assertEquals(8, r.config().numHeads());
        assertEquals(4, r.config().numKvHeads());
        assertEquals(17_049_088L, r.parameters().total());
        assertEquals((long) Math.ceil(524_288 * 0.93), r.bytes().head());
        assertEquals(9_728 * 2, r.bytes().norms());
        assertEquals(r.bytes().head() + r.bytes().trunk() + r.bytes().norms() + 50_000, r.bytes().total());
        assertTrue(r.headroomBytes() >= 0 && r.headroomBytes() < 0.02 * CAP, "within 2% of the cap: " + r.headroomBytes());
        assertTrue(fit.estimate(512 + 128).bytes().total() > CAP, "the next width must not fit");
    }

    /**
     * A wide shared trunk (2 blocks x 4 loops) with a factorized head: the fit is the widest that
     * fits, so the headroom is less than one width step costs. (Within 2% of the cap only holds
     * where one step of headSize * queriesPerKvHead costs under 2%: here a step is about 11%.)
     */
    @Test
    void sharedTrunkTakesTheWidestWidthThatFits() {
        BudgetFit fit = new BudgetFit(CAP, 8192, HeadMode.FACTORIZED, 128, bytesPerParameter(0.75, 2.0), 60_000, 10_000,
                recipe(2, 4, Conditioning.BOTH));
        BudgetFit.Result r = fit.fit();
        assertEquals(1152, r.config().dModel());
        assertEquals(4, r.config().loops());
        long nextWidth = fit.estimate(1152 + 128).bytes().total();
        assertTrue(r.bytes().total() <= CAP && nextWidth > CAP);
        assertTrue(r.headroomBytes() < nextWidth - r.bytes().total());
    }

    @Test
    void nothingFitsATinyCap() {
        BudgetFit fit = new BudgetFit(1000, 1024, HeadMode.TIED, 0, bytesPerParameter(1.0, 2.0), 0, 0, recipe(1, 1, Conditioning.NONE));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, fit::fit);
        assertTrue(e.getMessage().startsWith("no width fits capBytes=1000: the narrowest model (dModel=128)"), e.getMessage());
    }
}
