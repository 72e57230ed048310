package headroom.pipelines.prep;

import headroom.core.io.Sha256;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DocumentValidatorTest {

    private final SplitRule split = new SplitRule(1337, 0.1, 0.05);
    private final DocumentValidator validator = new DocumentValidator(20, PrepConf.Normalization.NONE, split);

    private DocumentValidator.Verdict judge(byte[] raw) {
        return validator.judge(RawDoc.ok("f", 1, raw, Map.of()));
    }

    @Test
    void rejectsWithTheReason() {
        assertEquals(Quarantine.EMPTY, judge(new byte[0]).reason());
        assertEquals(Quarantine.EMPTY, judge(" \t\u3000".getBytes(StandardCharsets.UTF_8)).reason(), "Unicode whitespace only");
        assertEquals(Quarantine.TOO_LONG, judge(new byte[21]).reason());
        assertEquals(Quarantine.INVALID_UTF8, judge(new byte[]{'a', (byte) 0xed, (byte) 0xa0, (byte) 0x80}).reason(), "an encoded surrogate");
        assertEquals(Quarantine.INVALID_UTF8, judge(new byte[]{(byte) 0xc0, (byte) 0xaf}).reason(), "an overlong slash");
        assertTrue(judge(new byte[]{'x', (byte) 0xff}).detail().contains("byte 1 (0xff)"));
    }

    @Test
    void acceptsTextByteForByteWithAContentId() {
        String s = "caf\u00e9 \uD83D\uDE00\r";
        DocumentValidator.Verdict v = judge(s.getBytes(StandardCharsets.UTF_8));
        assertNull(v.reason());
        assertEquals(s, v.text());
        assertEquals(s.getBytes(StandardCharsets.UTF_8).length, v.bytes());
        assertEquals(32, v.docId().length());
        assertEquals(v.docId(), judge(s.getBytes(StandardCharsets.UTF_8)).docId(), "same content, same id");
    }

    @Test
    void normalizationChangesTheMeasuredBytes() {
        String decomposed = "e\u0301"; // e + combining acute: 3 bytes, NFC makes it U+00E9 (2 bytes)
        DocumentValidator nfc = new DocumentValidator(20, PrepConf.Normalization.NFC, split);
        DocumentValidator.Verdict v = nfc.judge(RawDoc.ok("f", 1, decomposed.getBytes(StandardCharsets.UTF_8), Map.of()));
        assertEquals("\u00e9", v.text());
        assertEquals(2, v.bytes());
    }

    @Test
    void splitFollowsTheFractionsAndTheSeedOnly() {
        Map<SplitRule.Split, Integer> counts = new EnumMap<>(SplitRule.Split.class);
        for (int i = 0; i < 100_000; i++) {
            byte[] hash = Sha256.digest(("doc " + i).getBytes(StandardCharsets.UTF_8));
            counts.merge(split.assign(hash), 1, Integer::sum);
        }
        assertEquals(10_000, counts.get(SplitRule.Split.VAL), 400);
        assertEquals(5_000, counts.get(SplitRule.Split.TEST), 300);
        byte[] h = Sha256.digest("x".getBytes(StandardCharsets.UTF_8));
        int differ = 0;
        for (int seed = 0; seed < 200; seed++) {
            if (new SplitRule(seed, 0.5, 0).assign(h) != new SplitRule(seed + 1000, 0.5, 0).assign(h)) differ++;
        }
        assertTrue(differ > 60 && differ < 140, "another seed gives another split: " + differ + "/200 differ");
    }

    @Test
    void splitFractionsAreChecked() {
        var e = assertThrows(headroom.pipelines.conf.ConfException.class, () -> new SplitRule(1, 0.6, 0.5));
        assertTrue(e.getMessage().contains("headroom.prep.split.test-fraction"), e.getMessage());
    }
}
