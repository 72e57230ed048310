package headroom.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The byte-level layer shared by the trainer, the Java encoder and the exported tokenizer.json:
 * the GPT-4-style split regex and GPT-2's byte to printable-char table.
 */
public final class ByteLevel {

    /**
     * GPT-4-style split pattern, written verbatim into tokenizer.json's Split pre-tokenizer.
     * Java agrees with HuggingFace (Oniguruma) only under {@link Pattern#UNICODE_CHARACTER_CLASS}:
     * without it Java's {@code \s} is ASCII-only and {@code "a\u2003\u2003b"} splits differently
     * (STACK.md, "Pre-tokenizer regex").
     */
    public static final String SPLIT_REGEX =
            "'(?i:[sdmt]|ll|ve|re)|[^\\r\\n\\p{L}\\p{N}]?+\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]++[\\r\\n]*|\\s*[\\r\\n]|\\s+(?!\\S)|\\s+";

    public static final Pattern SPLIT_PATTERN = Pattern.compile(SPLIT_REGEX, Pattern.UNICODE_CHARACTER_CLASS);

    /*
     * GPT-2's table (tokenizers byte_level.rs bytes_char): the 188 printable, non-space bytes map to
     * the char of the same code point; the other 68 (controls, space, DEL, NBSP, soft hyphen) map in
     * order to U+0100.. U+0143. Why this is safe: the map is a bijection from 256 bytes onto 256
     * distinct chars, each one UTF-16 unit and none of them whitespace, so a token's byte string
     * becomes a vocabulary key that survives JSON and can be read back byte for byte.
     */
    private static final char[] BYTE_TO_CHAR = new char[256];
    private static final int[] CHAR_TO_BYTE = new int[0x144];

    static {
        java.util.Arrays.fill(CHAR_TO_BYTE, -1);
        int next = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = printable ? (char) b : (char) (256 + next++);
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = b;
        }
    }

    private ByteLevel() {
    }

    /** The pre-tokens of {@code text}, in order; their concatenation is {@code text}. */
    public static List<String> pieces(String text) {
        List<String> pieces = new ArrayList<>();
        Matcher matcher = SPLIT_PATTERN.matcher(text);
        while (matcher.find()) {
            pieces.add(matcher.group());
        }
        return pieces;
    }

    /** One printable char per byte (GPT-2's table): a token's name in tokenizer.json. */
    public static String toByteChars(byte[] bytes) {
        char[] chars = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            chars[i] = BYTE_TO_CHAR[bytes[i] & 0xFF];
        }
        return new String(chars);
    }

    /** The inverse of {@link #toByteChars}; a char outside the table is an error. */
    public static byte[] fromByteChars(String chars) {
        byte[] bytes = new byte[chars.length()];
        for (int i = 0; i < bytes.length; i++) {
            char c = chars.charAt(i);
            int b = c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
            if (b < 0) {
                throw new IllegalArgumentException("char U+" + String.format("%04X", (int) c) + " at index " + i
                        + " of \"" + chars + "\" is not in the byte-level table");
            }
            bytes[i] = (byte) b;
        }
        return bytes;
    }
}
