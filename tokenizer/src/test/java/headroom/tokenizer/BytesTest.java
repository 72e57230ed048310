package headroom.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BytesTest {

    @Test
    void comparesByContent() {
        byte[] raw = {'h', 'i'};
        Bytes bytes = new Bytes(raw);
        raw[0] = 'x'; // a copy was taken
        assertEquals(Bytes.of("hi"), bytes);
        assertEquals(Bytes.of("hi").hashCode(), bytes.hashCode());
        assertNotEquals(Bytes.of("hj"), bytes);
        assertArrayEquals(new byte[] {'h', 'i'}, bytes.array());
        assertEquals(3, Bytes.of("\u00E9a").length());
    }

    @Test
    void ordersUnsignedLikeCodePoints() {
        assertTrue(Bytes.of("a").compareTo(Bytes.of("\u00E9")) < 0); // 0x61 < 0xC3
        assertTrue(Bytes.of("ab").compareTo(Bytes.of("a")) > 0);
        assertEquals(0, Bytes.of("same").compareTo(Bytes.of("same")));
    }
}
