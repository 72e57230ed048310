package headroom.pipelines.conf;

/** A configuration problem, worded for the person who wrote the conf: the key, the value, what is allowed. */
public final class ConfException extends RuntimeException {

    public ConfException(String message) {
        super(message);
    }

    public static ConfException badValue(String key, Object value, String allowed) {
        return new ConfException("conf key " + key + " = " + render(value) + " is not allowed: " + allowed);
    }

    private static String render(Object value) {
        return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    }
}
