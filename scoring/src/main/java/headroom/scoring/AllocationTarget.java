package headroom.scoring;

import java.util.Locale;

/**
 * What the byte allocator fills, one entry of {@code headroom.score.allocate.targets}: {@code "cap"} (the
 * artifact cap, headroom.sweep.budget.cap-bytes), a byte count ({@code "600000"}), or a share of the
 * model's own all-int8 artifact ({@code "60%"}), so one list traces a bytes-against-bpb curve for
 * models of any size.
 */
public record AllocationTarget(Kind kind, double value) {

    public enum Kind { CAP, BYTES, PERCENT_OF_INT8 }

    public static final String ALLOWED = "\"cap\", a byte count such as \"600000\", or a share of the model's all-int8 artifact such as \"60%\" (1-100%)";

    public static AllocationTarget parse(String spec) {
        String s = spec.trim();
        if (s.equals("cap")) return new AllocationTarget(Kind.CAP, 0);
        try {
            if (s.endsWith("%")) {
                double pct = Double.parseDouble(s.substring(0, s.length() - 1));
                if (pct >= 1 && pct <= 100) return new AllocationTarget(Kind.PERCENT_OF_INT8, pct);
            } else {
                long bytes = Long.parseLong(s);
                if (bytes > 0) return new AllocationTarget(Kind.BYTES, bytes);
            }
        } catch (NumberFormatException e) {
            // falls through to the error below
        }
        throw new IllegalArgumentException("bad allocation target '" + spec + "' (allowed: " + ALLOWED + ")");
    }

    /** The target in bytes for one model. */
    public long bytes(long capBytes, long int8ArtifactBytes) {
        return switch (kind) {
            case CAP -> capBytes;
            case BYTES -> (long) value;
            case PERCENT_OF_INT8 -> (long) Math.floor(int8ArtifactBytes * value / 100);
        };
    }

    /** File-name safe: {@code cap}, {@code 600000}, {@code 60pct}. */
    public String label() {
        return switch (kind) {
            case CAP -> "cap";
            case BYTES -> Long.toString((long) value);
            case PERCENT_OF_INT8 -> String.format(Locale.ROOT, "%spct", stripped(value));
        };
    }

    public String spec() {
        return switch (kind) {
            case CAP -> "cap";
            case BYTES -> Long.toString((long) value);
            case PERCENT_OF_INT8 -> stripped(value) + "%";
        };
    }

    private static String stripped(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
