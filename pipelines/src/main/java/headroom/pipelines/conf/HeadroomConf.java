package headroom.pipelines.conf;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Loads the Headroom conf and rejects what the reference does not know.
 *
 * <p>Precedence, highest first: command-line overrides ({@code key=value}, HOCON paths, with or
 * without the leading {@code headroom.}) &gt; the run conf file ({@code --conf}) &gt;
 * {@code reference.conf}, which documents and defaults every key.
 *
 * <p>A key that the reference does not define is an error naming the key and the closest known
 * key, so a typo never silently falls back to a default. Only {@link #FREE_FORM} sections may
 * hold keys of the user's choosing (Spark settings).
 */
public final class HeadroomConf {

    public static final String ROOT = "headroom";
    /** Sections whose keys are passed through as-is instead of checked against the reference. */
    static final List<String> FREE_FORM = List.of("headroom.spark.conf");

    private HeadroomConf() {
    }

    public static Config load(Path confFile, List<String> overrides) {
        Config user = ConfigFactory.empty();
        if (confFile != null) {
            if (!Files.isRegularFile(confFile)) {
                throw new ConfException("conf file " + confFile + " does not exist or is not a file");
            }
            try {
                user = ConfigFactory.parseFile(confFile.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
            } catch (ConfigException e) {
                throw new ConfException("conf file " + confFile + " cannot be parsed: " + e.getMessage());
            }
        }
        return fromUser(parseOverrides(overrides).withFallback(user));
    }

    /** The reference conf with the given user layer on top, checked and resolved. */
    public static Config fromUser(Config user) {
        Config reference = reference();
        rejectUnknownKeys(user, reference);
        try {
            return user.withFallback(reference).resolve();
        } catch (ConfigException e) {
            throw new ConfException("conf cannot be resolved: " + e.getMessage());
        }
    }

    public static Config reference() {
        return ConfigFactory.parseResources(HeadroomConf.class.getClassLoader(), "reference.conf").resolve();
    }

    static Config parseOverrides(List<String> overrides) {
        Config result = ConfigFactory.empty();
        for (String o : overrides) {
            int eq = o.indexOf('=');
            if (eq <= 0) {
                throw new ConfException("override '" + o + "' must look like key=value, e.g. prep.split.seed=7");
            }
            String key = o.substring(0, eq).trim();
            if (!key.startsWith(ROOT + ".")) key = ROOT + "." + key;
            try {
                result = ConfigFactory.parseString(key + " = " + o.substring(eq + 1)).withFallback(result);
            } catch (ConfigException e) {
                throw new ConfException("override '" + o + "' cannot be parsed: " + e.getMessage());
            }
        }
        return result;
    }

    static void rejectUnknownKeys(Config user, Config reference) {
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, ConfigValue> e : user.entrySet()) {
            String key = e.getKey();
            if (!key.startsWith(ROOT + ".")) {
                unknown.add(key);
                continue;
            }
            if (FREE_FORM.stream().anyMatch(f -> key.startsWith(f + "."))) continue;
            if (!reference.hasPathOrNull(key)) unknown.add(key);
        }
        if (unknown.isEmpty()) return;
        TreeSet<String> known = new TreeSet<>();
        reference.entrySet().forEach(e -> known.add(e.getKey()));
        StringBuilder msg = new StringBuilder("unknown conf key");
        msg.append(unknown.size() > 1 ? "s: " : ": ");
        for (int i = 0; i < unknown.size(); i++) {
            String k = unknown.get(i);
            if (i > 0) msg.append("; ");
            msg.append(k);
            String near = closest(k, known);
            if (near != null) msg.append(" (did you mean ").append(near).append("?)");
        }
        msg.append(". Every key is listed with its default in reference.conf.");
        throw new ConfException(msg.toString());
    }

    /** The section as JSON, for manifests and checkpoints. */
    public static String render(Config config, String path) {
        if (!config.hasPath(path)) return "{}";
        return config.getValue(path).render(ConfigRenderOptions.concise().setFormatted(false));
    }

    private static String closest(String key, TreeSet<String> known) {
        String leaf = key.substring(key.lastIndexOf('.') + 1);
        return known.stream()
                .min(Comparator.comparingInt((String k) -> Math.min(distance(k, key), distance(k.substring(k.lastIndexOf('.') + 1), leaf) + 2)))
                .filter(k -> Math.min(distance(k, key), distance(k.substring(k.lastIndexOf('.') + 1), leaf) + 2) <= Math.max(3, key.length() / 4))
                .orElse(null);
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
