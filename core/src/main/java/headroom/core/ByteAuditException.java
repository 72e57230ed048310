package headroom.core;

/** The tokens' bytes do not add up to the text's bytes: bits per byte would be wrong, so nothing goes on. */
public final class ByteAuditException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ByteAuditException(String message) {
        super(message);
    }
}
