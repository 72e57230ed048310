package headroom.pipelines.sweep;

import com.typesafe.config.Config;
import headroom.artifact.quant.PrecisionPlan;
import headroom.core.TensorClass;
import headroom.model.ArtifactEstimate;
import headroom.model.ParameterCount;
import headroom.pipelines.DemoSlice;
import headroom.pipelines.conf.HeadroomConf;
import headroom.pipelines.sweep.HypothesisConf.VocabPair;
import headroom.pipelines.sweep.SweepRows.Candidate;
import headroom.pipelines.sweep.SweepRows.VocabMetrics;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hypothesis design sized per precision plan, without Spark: each plan's candidates fill the band under that plan. */
class BudgetTablesTest {

    private static final String INT5 = "emb=int5,attn=int5,mlp=int5,norm=fp16,clip=none,outliers=0";
    private static final List<VocabMetrics> METRICS = List.of(metrics(512, 0.44, 1_500), metrics(2048, 0.33, 9_000));

    private static VocabMetrics metrics(int v, double tokensPerByte, long tokenizerBytes) {
        return new VocabMetrics(v, v - 257, 10, 1000, 2000, tokensPerByte, tokensPerByte, Double.NaN, tokenizerBytes);
    }

    private static List<Candidate> design(Config config, PrecisionPlan plan, String tag) {
        SweepConf sweep = SweepConf.from(config);
        BudgetTables.Inputs in = new BudgetTables.Inputs(sweep.budget(), plan.name(), PlanBytes.prior(plan, sweep.budget().bytesPerParameter()),
                RecipeConf.from(config), sweep.context(), Map.of(), tag);
        return BudgetTables.design(METRICS, List.of(new VocabPair(512, 2048)), sweep.hypothesis().headMode(), in);
    }

    @Test
    void aCandidateSizedForInt5FillsTheBandUnderInt5() {
        Config config = HeadroomConf.load(DemoSlice.repoRoot().resolve("conf/demo.conf"), List.of());
        List<PrecisionPlan> plans = SweepConf.plans(config);
        PrecisionPlan int5 = plans.stream().filter(p -> p.name().equals(PrecisionPlan.parse(INT5).name())).findFirst()
                .orElseThrow(() -> new AssertionError("conf/demo.conf judges the hypothesis under a uniform int5 plan too: " + plans));
        assertEquals("int5", PlanBytes.tag(int5.name()));
        SweepConf sweep = SweepConf.from(config);
        long cap = sweep.budget().capBytes();
        double band = sweep.budget().fill().band();
        List<Candidate> under5 = design(config, int5, "-int5");
        List<Candidate> under8 = design(config, plans.get(0), "");
        for (Candidate c : under5) {
            assertTrue(c.name().endsWith("-int5"), c.name());
            assertEquals(int5.name(), c.plan());
            // the estimate, recomputed from the parameter count and the int5 priors, is the one the row says
            Map<TensorClass, Double> bpp = PlanBytes.prior(int5, sweep.budget().bytesPerParameter());
            if (c.role().equals("B")) continue;
            assertTrue(c.fills(), c.name() + ": " + c.note());
            assertTrue(c.estimatedBytes() <= cap && c.estimatedBytes() >= (1 - band) * cap, c.name() + " estimated at " + c.estimatedBytes());
            assertTrue(bpp.get(TensorClass.MLP) < 0.7, "int5 prices a parameter below int8's 0.95");
        }
        // int5 buys more parameters in the same bytes: its A is larger than int8's, and priced at int8 it would be far over the cap
        Candidate a5 = under5.get(0), a8 = under8.get(0);
        assertEquals("A", a5.role());
        assertNotEquals(a8.name(), a5.name());
        assertTrue(a5.parameters() > 1.3 * a8.parameters(), a5.parameters() + " vs " + a8.parameters());
        assertTrue(a5.parameters() * 0.95 > cap, "an int5-sized model priced at int8 overflows the cap");
        assertTrue(under8.stream().noneMatch(c -> c.name().contains("int")), "the first plan's names stay plain");
    }

    @Test
    void aPlanTagIsItsUniformFormatOrAShortHash() {
        assertEquals("int8", PlanBytes.tag("emb=int8,attn=int8,mlp=int8,norm=fp16,clip=none,outliers=0"));
        String mixed = PlanBytes.tag("emb=int8,attn=int6,mlp=int6,norm=fp16,clip=std:4,outliers=0.001");
        assertTrue(mixed.matches("p[0-9a-f]{8}"), mixed);
        assertNotEquals(mixed, PlanBytes.tag("emb=int8,attn=int6,mlp=int6,norm=fp16,clip=std:3,outliers=0.001"));
    }
}
