package headroom.model.train;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EvalResultTest {

    @Test
    void bitsPerByteIsNatsOverLn2TimesBytes() {
        assertEquals(1.0, new EvalResult(Math.log(2) * 100, 50, 100).bpb(), 1e-12);
        assertEquals(8.0, new EvalResult(Math.log(256) * 3, 3, 3).bpb(), 1e-12);
        assertEquals(0.0, new EvalResult(0, 4, 7).bpb());
        // the mean loss is per target token, bpb per byte: 2 tokens over 8 bytes
        EvalResult r = new EvalResult(Math.log(2) * 16, 2, 8);
        assertEquals(Math.log(2) * 8, r.meanLoss(), 1e-12);
        assertEquals(2.0, r.bpb(), 1e-12);
    }

    @Test
    void emptyDenominatorsAreRejected() {
        assertEquals("targetBytes must be > 0, got 0",
                assertThrows(IllegalArgumentException.class, () -> new EvalResult(1, 1, 0)).getMessage());
        assertEquals("targets must be > 0, got 0",
                assertThrows(IllegalArgumentException.class, () -> new EvalResult(1, 0, 1)).getMessage());
    }
}
