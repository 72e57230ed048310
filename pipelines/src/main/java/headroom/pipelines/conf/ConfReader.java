package headroom.pipelines.conf;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Typed, validated reads of one conf section. Every getter names the full key in its error,
 * so a stage's {@code from(Config)} reads like a list of its keys and their rules.
 */
public final class ConfReader {

    private final Config config;
    private final String prefix;

    public ConfReader(Config config, String prefix) {
        this.config = config;
        this.prefix = prefix;
    }

    public ConfReader section(String path) {
        return new ConfReader(config, key(path));
    }

    public String key(String path) {
        return prefix.isEmpty() ? path : prefix + "." + path;
    }

    public boolean has(String path) {
        return config.hasPath(key(path));
    }

    public String string(String path) {
        try {
            return config.getString(key(path));
        } catch (ConfigException e) {
            throw wrongType(path, "a string");
        }
    }

    public List<String> stringList(String path) {
        try {
            return List.copyOf(config.getStringList(key(path)));
        } catch (ConfigException e) {
            throw wrongType(path, "a list of strings, e.g. [\"a\", \"b\"]");
        }
    }

    /** A list of strings, or one string standing for a list of one (e.g. {@code candidates = "top:3"}). */
    public List<String> stringOrList(String path) {
        if (config.hasPath(key(path)) && config.getValue(key(path)).valueType() == com.typesafe.config.ConfigValueType.STRING) {
            return List.of(config.getString(key(path)));
        }
        return stringList(path);
    }

    public List<Integer> intList(String path, int min, int max) {
        List<Integer> values;
        try {
            values = config.getIntList(key(path));
        } catch (ConfigException e) {
            throw wrongType(path, "a list of whole numbers");
        }
        for (int v : values) {
            if (v < min || v > max) {
                throw ConfException.badValue(key(path), values, "every entry must be between " + min + " and " + max + ", got " + v);
            }
        }
        return List.copyOf(values);
    }

    public List<Double> doubleList(String path) {
        try {
            return List.copyOf(config.getDoubleList(key(path)));
        } catch (ConfigException e) {
            throw wrongType(path, "a list of numbers");
        }
    }

    public boolean bool(String path) {
        try {
            return config.getBoolean(key(path));
        } catch (ConfigException e) {
            throw wrongType(path, "true or false");
        }
    }

    public int intIn(String path, int min, int max) {
        int v;
        try {
            v = config.getInt(key(path));
        } catch (ConfigException e) {
            throw wrongType(path, "a whole number between " + min + " and " + max);
        }
        if (v < min || v > max) throw ConfException.badValue(key(path), v, "must be between " + min + " and " + max);
        return v;
    }

    public long longIn(String path, long min, long max) {
        long v;
        try {
            v = config.getLong(key(path));
        } catch (ConfigException e) {
            throw wrongType(path, "a whole number between " + min + " and " + max);
        }
        if (v < min || v > max) throw ConfException.badValue(key(path), v, "must be between " + min + " and " + max);
        return v;
    }

    public double doubleIn(String path, double min, double max) {
        double v;
        try {
            v = config.getDouble(key(path));
        } catch (ConfigException e) {
            throw wrongType(path, "a number between " + min + " and " + max);
        }
        if (!(v >= min && v <= max)) throw ConfException.badValue(key(path), v, "must be between " + min + " and " + max);
        return v;
    }

    /** An enum key written in lower-kebab-case in the conf ({@code blank-lines} for BLANK_LINES). */
    public <E extends Enum<E>> E oneOf(String path, Class<E> type) {
        String raw = string(path);
        String wanted = raw.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(wanted)) return e;
        }
        throw ConfException.badValue(key(path), raw, "use one of " + allowed(type));
    }

    public static <E extends Enum<E>> String allowed(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(ConfReader::confName).collect(Collectors.joining(", "));
    }

    public static String confName(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private ConfException wrongType(String path, String expected) {
        if (!config.hasPathOrNull(key(path))) {
            return new ConfException("conf key " + key(path) + " is missing; it must be " + expected);
        }
        Object raw = config.getValue(key(path)).unwrapped();
        return ConfException.badValue(key(path), raw, "it must be " + expected);
    }
}
