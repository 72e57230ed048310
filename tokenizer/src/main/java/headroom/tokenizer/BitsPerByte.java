package headroom.tokenizer;

/** Bits per byte, the tokenizer-independent score (DESIGN.md "Bits per byte"). */
public final class BitsPerByte {

    private BitsPerByte() {
    }

    /** {@code sumNats / (ln 2 * bytes)}: summed loss in nats over the UTF-8 bytes of the same text. */
    public static double of(double sumNats, long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("bytes must be > 0, got " + bytes);
        }
        if (!(sumNats >= 0) || Double.isInfinite(sumNats)) {
            throw new IllegalArgumentException("sumNats must be finite and >= 0, got " + sumNats);
        }
        return sumNats / (Math.log(2) * bytes);
    }
}
