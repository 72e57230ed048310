package headroom.pipelines.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line: {@code headroom COMMAND [--conf FILE] [--run-dir DIR] [--master URL] [--force]
 * [--OPTION [VALUE]] [key=value ...]}. Options the common set does not know (such as
 * {@code --candidate NAME} or {@code --resume}) are kept for the command to check.
 */
record CliArgs(String command, Path conf, Path runDir, String master, boolean force, boolean help,
               List<String> overrides, Map<String, String> options) {

    static CliArgs parse(String[] argv) {
        List<String> args = new ArrayList<>();
        for (String a : argv) {
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 2) {
                args.add(a.substring(0, eq));
                args.add(a.substring(eq + 1));
            } else {
                args.add(a);
            }
        }
        String command = args.isEmpty() || args.get(0).startsWith("-") ? null : args.get(0);
        Path conf = null;
        Path runDir = null;
        String master = null;
        boolean force = false;
        boolean help = command == null;
        List<String> overrides = new ArrayList<>();
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = command == null ? 0 : 1; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--conf" -> conf = Path.of(value(args, ++i, a));
                case "--run-dir" -> runDir = Path.of(value(args, ++i, a));
                case "--master" -> master = value(args, ++i, a);
                case "--force" -> force = true;
                case "-h", "--help" -> help = true;
                default -> {
                    if (a.startsWith("--")) {
                        boolean hasValue = i + 1 < args.size() && !args.get(i + 1).startsWith("--") && !args.get(i + 1).contains("=");
                        options.put(a.substring(2), hasValue ? args.get(++i) : "true");
                    } else if (a.contains("=")) {
                        overrides.add(a);
                    } else {
                        throw new UsageException("unexpected argument '" + a + "'; conf overrides look like key=value");
                    }
                }
            }
        }
        return new CliArgs(command, conf, runDir, master, force, help, List.copyOf(overrides), Map.copyOf(options));
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size() || args.get(i).startsWith("--")) throw new UsageException(option + " needs a value");
        return args.get(i);
    }

    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
