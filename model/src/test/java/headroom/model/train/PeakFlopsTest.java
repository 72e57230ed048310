package headroom.model.train;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PeakFlopsTest {

    @Test
    void measuresAPositiveRate() {
        double flops = PeakFlops.measure(Device.cpu(), 0, 256);
        System.out.printf("256 x 256 fp32 matmul: %.2f GFLOP/s%n", flops / 1e9);
        assertTrue(flops > 1e8 && flops < 1e15, "implausible FLOP rate " + flops); // any CPU does 0.1 GFLOP/s
    }

    @Test
    void utilizationIsAchievedOverPeak() {
        // 22 MFLOP per token at 2,000 tokens/s is 44 GFLOP/s: 0.4 of a 110 GFLOP/s peak
        assertEquals(0.4, PeakFlops.utilization(22e6, 2_000, 110e9), 1e-12);
    }
}
