package headroom.model;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Typed reads from a JSON-like map into a config record: every key of the record must be
 * present, no other key is allowed, and a wrong type names the key.
 */
final class ConfigMap {

    private final String what;
    private final Map<String, ?> values;

    ConfigMap(String what, Map<String, ?> values, Class<? extends Record> type) {
        this.what = what;
        this.values = values;
        Set<String> fields = Arrays.stream(type.getRecordComponents()).map(c -> c.getName()).collect(Collectors.toSet());
        Set<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(fields);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(what + " has unknown keys " + unknown + "; known keys are " + new TreeSet<>(fields));
        }
    }

    /** A config record as an ordered JSON-like map: its components in declaration order, enums by name. */
    static Map<String, Object> of(Record config) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (java.lang.reflect.RecordComponent c : config.getClass().getRecordComponents()) {
            try {
                Object v = c.getAccessor().invoke(config);
                m.put(c.getName(), v instanceof Enum<?> e ? e.name() : v);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return m;
    }

    /** The validation every config record's compact constructor uses: the message names field, rule and value. */
    static void require(boolean ok, String field, Object value, String rule) {
        if (!ok) throw new IllegalArgumentException(field + " " + rule + ", got " + value);
    }

    private Object get(String key) {
        Object v = values.get(key);
        if (v == null) throw new IllegalArgumentException(what + " is missing key '" + key + "'");
        return v;
    }

    int integer(String key) {
        Object v = get(key);
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) return Math.toIntExact(n.longValue());
        throw new IllegalArgumentException(what + " key '" + key + "' must be an integer, got " + v);
    }

    long longValue(String key) {
        Object v = get(key);
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) return n.longValue();
        throw new IllegalArgumentException(what + " key '" + key + "' must be an integer, got " + v);
    }

    double number(String key) {
        Object v = get(key);
        if (v instanceof Number n) return n.doubleValue();
        throw new IllegalArgumentException(what + " key '" + key + "' must be a number, got " + v);
    }

    boolean bool(String key) {
        Object v = get(key);
        if (v instanceof Boolean b) return b;
        throw new IllegalArgumentException(what + " key '" + key + "' must be true or false, got " + v);
    }

    String string(String key) {
        return String.valueOf(get(key));
    }

    <E extends Enum<E>> E enumValue(String key, Class<E> type) {
        String v = string(key);
        try {
            return Enum.valueOf(type, v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " key '" + key + "' must be one of "
                    + Arrays.toString(type.getEnumConstants()) + ", got " + v, e);
        }
    }
}
