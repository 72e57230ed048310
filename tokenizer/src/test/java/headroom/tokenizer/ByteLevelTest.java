package headroom.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ByteLevelTest {

    /** Tricky inputs and the pieces HuggingFace's Split(regex, Isolated) gives them (checked against DJL in HfEncoderTest). */
    static final List<List<String>> PIECE_TABLE = List.of(
            List.of("Hello world", "Hello", " world"),
            // contractions, ASCII apostrophe only, any case
            List.of("I'm you're WE'LL she'D they've", "I", "'m", " you", "'re", " WE", "'LL", " she", "'D", " they", "'ve"),
            // a curly apostrophe is punctuation that leads the letters after it
            List.of("don\u2019t", "don", "\u2019t"),
            // digits in runs of at most 3; a space before digits stands alone
            List.of("12345 67", "123", "45", " ", "67"),
            List.of("$100.50", "$", "100", ".", "50"),
            List.of("x=1;", "x", "=", "1", ";"),
            // a whitespace run leaves its last space to the word after it
            List.of("a   b", "a", "  ", " b"),
            List.of("end  ", "end", "  "),
            // line breaks end a whitespace piece
            List.of("line1\r\nline2", "line", "1", "\r\n", "line", "2"),
            List.of("a\n\n  b", "a", "\n\n", " ", " b"),
            List.of("a\t\nb", "a", "\t\n", "b"),
            // Unicode spaces are whitespace only with UNICODE_CHARACTER_CLASS
            List.of("a\u00A0b", "a", "\u00A0b"),
            List.of("a\u2003\u2003b", "a", "\u2003", "\u2003b"),
            List.of("a\u3000b", "a", "\u3000b"),
            // an emoji with a skin-tone modifier is punctuation-like: it joins the '!' after it
            List.of("hi \uD83D\uDC4B\uD83C\uDFFD!", "hi", " \uD83D\uDC4B\uD83C\uDFFD!"),
            List.of("\u4F60\u597D\u4E16\u754C ok", "\u4F60\u597D\u4E16\u754C", " ok"));

    @Test
    void piecesOfTrickyInputs() {
        for (List<String> row : PIECE_TABLE) {
            assertEquals(row.subList(1, row.size()), ByteLevel.pieces(row.get(0)), "pieces of \"" + row.get(0) + "\"");
        }
    }

    @Test
    void piecesConcatenateToTheText() {
        String text = "Mr. Darcy's\r\n\r\n   income: \u00A310,000\u2009a year \uD83D\uDE00\t\u3000end";
        assertEquals(text, String.join("", ByteLevel.pieces(text)));
    }

    @Test
    void byteTableMatchesGpt2() {
        assertEquals("\u0120", ByteLevel.toByteChars(new byte[] {' '}));   // space -> 'Ġ'
        assertEquals("\u010A", ByteLevel.toByteChars(new byte[] {'\n'}));  // newline -> 'Ċ'
        assertEquals("\u0100", ByteLevel.toByteChars(new byte[] {0}));
        assertEquals("\u0143", ByteLevel.toByteChars(new byte[] {(byte) 0xAD})); // soft hyphen, the last remapped byte
        assertEquals("a!~", ByteLevel.toByteChars(new byte[] {'a', '!', '~'}));
        assertEquals("\u00E9", ByteLevel.toByteChars(new byte[] {(byte) 0xE9}));
    }

    @Test
    void byteTableIsABijection() {
        byte[] all = new byte[256];
        for (int b = 0; b < 256; b++) {
            all[b] = (byte) b;
        }
        String chars = ByteLevel.toByteChars(all);
        Set<Character> distinct = new HashSet<>();
        for (char c : chars.toCharArray()) {
            distinct.add(c);
        }
        assertEquals(256, distinct.size());
        assertArrayEquals(all, ByteLevel.fromByteChars(chars));
    }

    @Test
    void fromByteCharsRejectsCharsOutsideTheTable() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ByteLevel.fromByteChars("a b"));
        assertEquals("char U+0020 at index 1 of \"a b\" is not in the byte-level table", e.getMessage());
    }
}
