package headroom.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** ByteAudit and BitsPerByte: the two numbers every bits-per-byte figure rests on. */
class AccountingTest {

    @Test
    void targetBytesCountSpecialsAsZero() {
        int[] lengths = {1, 1, 0, 3, 5}; // id 2 is a special
        assertEquals(1 + 0 + 3 + 5 + 0, ByteAudit.targetBytes(new int[] {0, 2, 3, 4, 2}, lengths));
    }

    @Test
    void auditPassesOnEqualCountsAndThrowsOnACraftedMismatch() {
        ByteAudit.check("val", 1234, 1234);
        // a space counted twice: one byte too many
        ByteAuditException e = assertThrows(ByteAuditException.class, () -> ByteAudit.check("val split", 1235, 1234));
        assertEquals("byte audit failed for val split: tokens carry 1235 bytes but the text has 1234 UTF-8 bytes (difference 1)",
                e.getMessage());
    }

    @Test
    void bitsPerByteIsNatsOverLn2TimesBytes() {
        assertEquals(1.0, BitsPerByte.of(Math.log(2) * 100, 100), 1e-12);
        assertEquals(8.0, BitsPerByte.of(Math.log(256) * 3, 3), 1e-12);
        assertEquals(0.0, BitsPerByte.of(0, 7));
        assertEquals("bytes must be > 0, got 0",
                assertThrows(IllegalArgumentException.class, () -> BitsPerByte.of(1, 0)).getMessage());
        assertEquals("sumNats must be finite and >= 0, got NaN",
                assertThrows(IllegalArgumentException.class, () -> BitsPerByte.of(Double.NaN, 5)).getMessage());
    }
}
