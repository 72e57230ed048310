package headroom.artifact.alloc;

import headroom.artifact.quant.ClipRule;
import headroom.artifact.quant.TensorPrecision;
import headroom.core.TensorClass;
import headroom.core.WeightTensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AllocatorTest {

    private static WeightTensor gaussian(String name, int rows, int cols, long seed) {
        Random random = new Random(seed);
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) v[i] = (float) (0.02 * random.nextGaussian() * (1 + (i % cols == 0 ? 4 : 0)));
        return new WeightTensor(name, TensorClass.MLP, new int[]{rows, cols}, v);
    }

    private static float[] filled(int n, float value) {
        float[] s = new float[n];
        Arrays.fill(s, value);
        return s;
    }

    @Test
    void aTensorsFrontierIsMonotoneAndDominatesEveryDroppedOption() {
        WeightTensor w = gaussian("w", 64, 128, 1);
        List<TensorOption> all = TensorOptions.measure(w, null, OptionGrid.DEFAULT);
        assertEquals(50, all.size());
        Frontier f = Frontier.of("w", all);
        for (int i = 1; i < f.options().size(); i++) {
            assertTrue(f.options().get(i).bytes() > f.options().get(i - 1).bytes(), "bytes rise along the frontier");
            assertTrue(f.options().get(i).distortion() < f.options().get(i - 1).distortion(), "distortion falls along the frontier");
        }
        for (TensorOption o : all) {
            assertTrue(f.options().contains(o) || f.options().stream().anyMatch(k -> k.bytes() <= o.bytes() && k.distortion() <= o.distortion()),
                    "a dropped option is dominated: " + o);
        }
        assertTrue(f.options().size() >= 5, "int4..int8 each buy something: " + f.options());
        assertEquals(4, f.cheapest().precision().format().bits(), "the cheapest option is int4");
        assertEquals(8, f.best().precision().format().bits(), "the lowest error is int8");
    }

    @Test
    void theAllocatorNeverExceedsItsBudget() {
        Random random = new Random(3);
        List<Frontier> frontiers = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            WeightTensor w = gaussian("t" + t, 16 + 16 * t, 64, t);
            frontiers.add(Frontier.of(w.name(), TensorOptions.measure(w, filled(w.values().length, 1 + random.nextInt(20)), OptionGrid.DEFAULT)));
        }
        double min = frontiers.stream().mapToDouble(f -> f.cheapest().bytes()).sum();
        double max = 0;
        for (Frontier f : frontiers) max += f.best().bytes(); // summed like the allocator sums (DoubleStream.sum compensates, and may differ by an ulp)
        double previous = Double.POSITIVE_INFINITY;
        for (int k = 0; k <= 40; k++) {
            double budget = min + (max - min) * k / 40.0;
            Allocation a = Allocator.allocate(frontiers, budget);
            double sum = a.chosen().values().stream().mapToDouble(TensorOption::bytes).sum();
            assertTrue(sum <= budget + 1e-9, "budget " + budget + " but the chosen options take " + sum);
            assertEquals(sum, a.bytes(), 1e-6);
            assertTrue(a.distortion() <= previous + 1e-12, "more bytes never cost distortion");
            previous = a.distortion();
        }
        Allocation full = Allocator.allocate(frontiers, max);
        assertEquals(frontiers.stream().mapToDouble(f -> f.best().distortion()).sum(), full.distortion(), 1e-12,
                "with every best option affordable, every tensor gets it");
    }

    @Test
    void aTenTimesMoreSensitiveTensorGetsMoreBits() {
        WeightTensor plain = gaussian("plain", 64, 128, 5);
        WeightTensor sensitive = new WeightTensor("sensitive", TensorClass.MLP, plain.shape(), plain.values()); // the same weights
        Frontier a = Frontier.of("plain", TensorOptions.measure(plain, filled(plain.values().length, 1), OptionGrid.DEFAULT));
        Frontier b = Frontier.of("sensitive", TensorOptions.measure(sensitive, filled(plain.values().length, 10), OptionGrid.DEFAULT));
        double min = a.cheapest().bytes() + b.cheapest().bytes(), max = a.best().bytes() + b.best().bytes();
        boolean strictlyMore = false;
        for (int k = 1; k < 10; k++) {
            Allocation alloc = Allocator.allocate(List.of(a, b), min + (max - min) * k / 10.0);
            int plainBits = alloc.chosen().get("plain").precision().format().bits();
            int sensitiveBits = alloc.chosen().get("sensitive").precision().format().bits();
            assertTrue(sensitiveBits >= plainBits, "budget step " + k + ": sensitive int" + sensitiveBits + " against plain int" + plainBits);
            strictlyMore |= sensitiveBits > plainBits;
        }
        assertTrue(strictlyMore, "somewhere between the smallest and the largest budget the sensitive tensor is wider");
    }

    @Test
    void aBudgetBelowTheCheapestOptionsNamesTheSmallestReachableSize() {
        WeightTensor w = gaussian("w", 32, 64, 2);
        Frontier f = Frontier.of("w", TensorOptions.measure(w, null, OptionGrid.DEFAULT));
        Allocator.BudgetTooSmallException e = assertThrows(Allocator.BudgetTooSmallException.class,
                () -> Allocator.allocate(List.of(f), f.cheapest().bytes() - 1));
        assertEquals(f.cheapest().bytes(), e.smallest());
        assertTrue(e.getMessage().contains(String.format("%.0f", f.cheapest().bytes())), e.getMessage());
    }

    @Test
    void theLowerHullKeepsOnlyConvexSteps() {
        TensorPrecision p = new TensorPrecision(headroom.artifact.quant.QuantFormat.INT8, new ClipRule.None(), 0);
        List<TensorOption> options = List.of(new TensorOption(p, 0, 10), new TensorOption(p, 1, 9), new TensorOption(p, 2, 2), new TensorOption(p, 3, 1));
        assertEquals(List.of(0, 2, 3), Allocator.lowerHull(options), "(1, 9) lies above the segment from (0, 10) to (2, 2)");
    }
}
