package headroom.pipelines.sweep;

import headroom.pipelines.Headroom;
import headroom.pipelines.conf.ConfException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContextLengthTest {

    /** The test: T differs by vocabulary and covers the same bytes within one token. */
    @Test
    void tDiffersByVocabularyAndCoversTheSameBytesWithinOneToken() {
        ContextLength context = ContextLength.from(Headroom.conf(null, "model.context-bytes=256"));
        assertEquals(ContextLength.BYTES, context.protocol());
        double[] tokensPerByte = {1.0, 0.4417, 0.3608, 0.3126, 0.2801}; // bytes only, then larger vocabularies: fewer tokens per byte
        int previous = Integer.MAX_VALUE;
        for (double tpb : tokensPerByte) {
            int t = context.tokens(tpb);
            assertTrue(t < previous, "a larger vocabulary needs fewer tokens for the same bytes: " + t + " after " + previous);
            assertTrue(Math.abs(t - 256 * tpb) <= 1, "T = " + t + " covers " + t / tpb + " bytes, not 256 within one token");
            previous = t;
        }
        assertEquals(256, context.tokens(1.0));
        assertEquals(113, context.tokens(0.4417));
    }

    @Test
    void seqLenAsksForTheSameTokensForEveryVocabulary() {
        ContextLength context = ContextLength.from(Headroom.conf(null, "model.seq-len=128"));
        assertEquals(ContextLength.TOKENS, context.protocol());
        assertEquals(context.tokens(1.0), context.tokens(0.3));
        assertNotEquals(ContextLength.from(Headroom.conf(null)).tokens(1.0), ContextLength.from(Headroom.conf(null)).tokens(0.3));
        ConfException e = assertThrows(ConfException.class, () -> ContextLength.from(Headroom.conf(null, "model.context-bytes=0")));
        assertTrue(e.getMessage().contains("headroom.model.context-bytes"), e.getMessage());
    }
}
