package headroom.model;

import headroom.core.TensorClass;
import headroom.model.ModelConfig.Activation;
import headroom.model.ModelConfig.Conditioning;
import headroom.model.ModelConfig.HeadMode;
import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BudgetFitTest {

    private static final long CAP = 16_000_000;
    private static final BudgetFit.Search SEARCH = new BudgetFit.Search(0.02, 8, 8);

    private static Map<TensorClass, Double> bytesPerParameter(double matrices, double norms) {
        Map<TensorClass, Double> m = new EnumMap<>(TensorClass.class);
        m.put(TensorClass.EMBEDDING_HEAD, matrices);
        m.put(TensorClass.ATTENTION, matrices);
        m.put(TensorClass.MLP, matrices);
        m.put(TensorClass.NORM_CONDITIONING, norms);
        return m;
    }

    private static BudgetFit.Recipe recipe(int uniqueBlocks, int loops, Conditioning conditioning) {
        return new BudgetFit.Recipe(uniqueBlocks, loops, 64, 2, 2, Activation.RELU2, conditioning, false, 10000, 0);
    }

    /** Parameter Golf's baseline at 0.93 bytes/param (int8 + zlib): 9 blocks at d=512 fill 16 MB, and the fill keeps that shape. */
    @Test
    void reproducesTheParameterGolfBaseline() {
        BudgetFit fit = new BudgetFit(CAP, 1024, HeadMode.TIED, 0, bytesPerParameter(0.93, 2.0), 20_000, 30_000,
                1024, recipe(9, 1, Conditioning.NONE));
        BudgetFit.Result r = fit.estimate(512);
        assertEquals(8, r.config().numHeads());
        assertEquals(4, r.config().numKvHeads());
        assertEquals(17_049_088L, r.parameters().total());
        assertEquals((long) Math.ceil(524_288 * 0.93), r.bytes().head());
        assertEquals(9_728 * 2, r.bytes().norms());
        assertEquals(r.bytes().head() + r.bytes().trunk() + r.bytes().norms() + 50_000, r.bytes().total());
        BudgetFit.Fill fill = fit.fill(new BudgetFit.Search(0.02, 16, 8));
        assertTrue(fill.filled(), fill.reason());
        assertEquals(new BudgetFit.Shape(512, 9, 2), fill.result().orElseThrow().shape(), "the baseline's own shape is in the band");
    }

    /** The test: every fillable (vocabulary, head mode) lands within 2% below the cap, under two plans' bytes per parameter. */
    @Test
    void everyFillableCandidateLandsWithinTwoPercentBelowTheCap() {
        int filled = 0;
        for (double bpp : new double[]{0.95, 0.75}) {
            for (int v : new int[]{257, 512, 1024, 2048, 4096, 8192, 16384, 32768}) {
                for (HeadMode mode : HeadMode.values()) {
                    BudgetFit fit = new BudgetFit(CAP, v, mode, mode == HeadMode.FACTORIZED ? 128 : 0, bytesPerParameter(bpp, 2.0),
                            v * 2L, 4096, 1024, recipe(3, 3, Conditioning.LOOP_GAIN));
                    BudgetFit.Fill f = fit.fill(SEARCH);
                    if (!f.filled()) {
                        assertFalse(f.reason().isEmpty(), "an unfilled candidate says why");
                        continue;
                    }
                    filled++;
                    BudgetFit.Result r = f.result().orElseThrow();
                    assertTrue(r.bytes().total() <= CAP && r.bytes().total() >= 0.98 * CAP, v + " " + mode + ": " + r.bytes().total());
                    assertEquals(3, r.config().loops(), "loops stay the recipe's");
                }
            }
        }
        assertTrue(filled >= 40, "nearly every shape fills a 16 MB cap: " + filled);
    }

    /** The preferred U comes first, then the multiple closest to the preferred one among the shapes that fill. */
    @Test
    void thePreferredShapeWinsOverAFullerOne() {
        BudgetFit fit = new BudgetFit(CAP, 1024, HeadMode.TIED, 0, bytesPerParameter(0.93, 2.0), 20_000, 30_000, 1024, recipe(9, 1, Conditioning.NONE));
        BudgetFit.Result r = fit.fill(SEARCH, 4, 3).result().orElseThrow();
        assertEquals(4, r.config().uniqueBlocks());
        assertTrue(r.fill() >= 0.98 && r.fill() <= 1.0, "fill " + r.fill());
        int closest = Integer.MAX_VALUE;
        for (int d = 128; d <= 4096; d += 128) {
            for (int m = 1; m <= 8; m++) {
                double f = fit.estimate(new BudgetFit.Shape(d, 4, m)).fill();
                if (f >= 0.98 && f <= 1.0) closest = Math.min(closest, Math.abs(m - 3));
            }
        }
        assertEquals(closest, Math.abs(r.config().mlpMult() - 3), "the multiple closest to 3 that fills with U = 4");
    }

    @Test
    void aHeadOverTheCapSaysSo() {
        BudgetFit fit = new BudgetFit(1_000_000, 32768, HeadMode.UNTIED, 0, bytesPerParameter(0.95, 2.0), 0, 4096, 1024, recipe(2, 2, Conditioning.NONE));
        BudgetFit.Fill f = fit.fill(SEARCH);
        assertFalse(f.filled());
        assertTrue(f.result().isEmpty());
        assertTrue(f.reason().startsWith("the head alone is over the cap: 7,969,178 head bytes (V=32768 x d=128)"), f.reason());
    }

    /** A cap just above the smallest model: nothing lands in the band, the fullest fitting shape is kept and the reason given. */
    @Test
    void aCapThatNoShapeCanFillGivesTheFullestAndWhy() {
        BudgetFit probe = new BudgetFit(CAP, 257, HeadMode.TIED, 0, bytesPerParameter(1.0, 2.0), 0, 0, 1024, recipe(1, 1, Conditioning.NONE));
        long smallest = probe.estimate(new BudgetFit.Shape(128, 1, 1)).bytes().total();
        BudgetFit fit = new BudgetFit((long) (smallest / 0.97), 257, HeadMode.TIED, 0, bytesPerParameter(1.0, 2.0), 0, 0,
                1024, recipe(1, 1, Conditioning.NONE));
        BudgetFit.Fill f = fit.fill(SEARCH);
        assertFalse(f.filled());
        assertEquals(smallest, f.result().orElseThrow().bytes().total());
        assertTrue(f.reason().startsWith("no shape (d step 128, U <= 8, MLP x <= 8) lands within 2% below the cap; the fullest is"), f.reason());
    }
}
