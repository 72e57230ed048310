package headroom.artifact.quant;

import headroom.core.TensorClass;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The compact text form of a {@link PrecisionPlan}: comma-separated {@code key=value} tokens.
 * <ul>
 *   <li>{@code emb}, {@code attn}, {@code mlp} (required): int8 | int6 | int4 | fp16 | fp32;
 *       {@code norm} (optional, default fp16): fp16 | fp32.</li>
 *   <li>{@code clip} (default none): none | pct:P | std:K, for every integer-format class;
 *       {@code outliers} (default 0): fraction of largest |w| kept in fp16, for every integer-format class.</li>
 *   <li>{@code emb.clip}, {@code mlp.outliers}, ...: a per-class override of the two above.</li>
 *   <li>{@code @<tensor name>=<format>[/<clip>[/<outliers>]]}: one tensor's precision, whatever its class's
 *       ({@code @blocks.0.mlp.w2=int5/std:4/0.001}); clip and outliers default to none and 0.</li>
 * </ul>
 * The canonical form lists the classes in enum order, then clip and outliers when every integer class
 * shares them (omitted at their defaults), else the per-class overrides, then the tensors by name with
 * all three parts for an integer format.
 */
final class PrecisionPlanSpec {

    private static final Map<String, TensorClass> KEYS = new LinkedHashMap<>();

    static {
        KEYS.put("emb", TensorClass.EMBEDDING_HEAD);
        KEYS.put("attn", TensorClass.ATTENTION);
        KEYS.put("mlp", TensorClass.MLP);
        KEYS.put("norm", TensorClass.NORM_CONDITIONING);
    }

    private static final String FORMATS = QuantFormat.allowed();
    private static final String INTEGER_FORMATS = String.join("|", QuantFormat.integers().stream().map(QuantFormat::specName).toList());
    private static final String ALLOWED_KEYS = "emb, attn, mlp, norm, clip, outliers, <class>.clip, <class>.outliers, @<tensor name>";
    /** Characters the spec itself uses as separators, so a tensor name cannot hold them. */
    private static final String RESERVED = ",=@/ ";

    private PrecisionPlanSpec() {
    }

    static PrecisionPlan parse(String spec) {
        Map<TensorClass, QuantFormat> formats = new EnumMap<>(TensorClass.class);
        Map<TensorClass, ClipRule> clips = new EnumMap<>(TensorClass.class);
        Map<TensorClass, Double> outliers = new EnumMap<>(TensorClass.class);
        ClipRule globalClip = new ClipRule.None();
        double globalOutliers = 0;
        Map<String, String> seen = new LinkedHashMap<>();
        Map<String, TensorPrecision> tensors = new LinkedHashMap<>();
        for (String token : spec.split(",", -1)) {
            int eq = token.indexOf('=');
            if (eq <= 0) throw bad(spec, token, "expected key=value (keys: " + ALLOWED_KEYS + ")");
            String key = token.substring(0, eq).trim();
            String value = token.substring(eq + 1).trim();
            if (seen.put(key, value) != null) throw bad(spec, token, "key '" + key + "' given twice");
            if (key.startsWith("@")) {
                tensors.put(tensorName(spec, token, key.substring(1)), tensorPrecision(spec, token, value));
                continue;
            }
            int dot = key.indexOf('.');
            String classKey = dot < 0 ? key : key.substring(0, dot);
            String option = dot < 0 ? key : key.substring(dot + 1);
            if (dot < 0 && KEYS.containsKey(key)) {
                formats.put(KEYS.get(key), format(spec, token, value));
            } else if (dot < 0 && key.equals("clip")) {
                globalClip = clip(spec, token, value);
            } else if (dot < 0 && key.equals("outliers")) {
                globalOutliers = fraction(spec, token, value);
            } else if (dot > 0 && KEYS.containsKey(classKey) && option.equals("clip")) {
                clips.put(KEYS.get(classKey), clip(spec, token, value));
            } else if (dot > 0 && KEYS.containsKey(classKey) && option.equals("outliers")) {
                outliers.put(KEYS.get(classKey), fraction(spec, token, value));
            } else {
                throw bad(spec, token, "unknown key '" + key + "' (keys: " + ALLOWED_KEYS + ")");
            }
        }
        formats.putIfAbsent(TensorClass.NORM_CONDITIONING, QuantFormat.FP16);
        Map<TensorClass, TensorPrecision> byClass = new EnumMap<>(TensorClass.class);
        for (Map.Entry<String, TensorClass> entry : KEYS.entrySet()) {
            TensorClass c = entry.getValue();
            QuantFormat format = formats.get(c);
            if (format == null) {
                throw new IllegalArgumentException("precision plan '" + spec + "' has no format for " + entry.getKey()
                        + " (add " + entry.getKey() + "=" + FORMATS + ")");
            }
            if (c == TensorClass.NORM_CONDITIONING && format.isInteger()) {
                throw bad(spec, "norm=" + format.specName(), "norm tensors are small and stay in a float format (allowed: fp16|fp32)");
            }
            ClipRule clip = format.isInteger() ? clips.getOrDefault(c, globalClip) : new ClipRule.None();
            double fraction = format.isInteger() ? outliers.getOrDefault(c, globalOutliers) : 0;
            if (!format.isInteger() && (clips.containsKey(c) || outliers.containsKey(c))) {
                throw bad(spec, entry.getKey() + "." + (clips.containsKey(c) ? "clip" : "outliers"),
                        entry.getKey() + " is " + format.specName() + ": clip and outliers apply only to " + INTEGER_FORMATS);
            }
            byClass.put(c, new TensorPrecision(format, clip, fraction));
        }
        return new PrecisionPlan(byClass, tensors);
    }

    /** A tensor name a spec can carry: non-empty, none of the separators {@code , = @ /} or spaces. */
    static void checkTensorName(String name) {
        if (name.isEmpty() || name.chars().anyMatch(ch -> RESERVED.indexOf(ch) >= 0 || Character.isWhitespace(ch))) {
            throw new IllegalArgumentException("tensor name '" + name + "' cannot appear in a precision plan: it must be non-empty, without ',', '=', '@', '/' or spaces");
        }
    }

    private static String tensorName(String spec, String token, String name) {
        try {
            checkTensorName(name);
            return name;
        } catch (IllegalArgumentException e) {
            throw bad(spec, token, e.getMessage());
        }
    }

    /** {@code int5}, {@code int5/std:4} or {@code int5/std:4/0.001}; a float format alone. */
    private static TensorPrecision tensorPrecision(String spec, String token, String value) {
        String[] parts = value.split("/", -1);
        if (parts.length > 3) throw bad(spec, token, "expected <format>[/<clip>[/<outliers>]], e.g. int5/std:4/0.001");
        QuantFormat format = format(spec, token, parts[0]);
        if (!format.isInteger()) {
            if (parts.length > 1) throw bad(spec, token, format.specName() + " takes no clip or outliers: they apply only to " + INTEGER_FORMATS);
            return TensorPrecision.of(format);
        }
        ClipRule clip = parts.length > 1 ? clip(spec, token, parts[1]) : new ClipRule.None();
        double fraction = parts.length > 2 ? fraction(spec, token, parts[2]) : 0;
        return new TensorPrecision(format, clip, fraction);
    }

    private static String tensorValue(TensorPrecision p) {
        if (!p.format().isInteger()) return p.format().specName();
        return p.format().specName() + "/" + p.clip().spec() + "/" + ClipRule.plain(p.outlierFraction());
    }

    static String format(PrecisionPlan plan) {
        List<String> tokens = new ArrayList<>();
        List<TensorClass> integerClasses = new ArrayList<>();
        for (Map.Entry<String, TensorClass> entry : KEYS.entrySet()) {
            TensorPrecision precision = plan.of(entry.getValue());
            tokens.add(entry.getKey() + "=" + precision.format().specName());
            if (precision.format().isInteger()) integerClasses.add(entry.getValue());
        }
        List<ClipRule> clipValues = integerClasses.stream().map(c -> plan.of(c).clip()).distinct().toList();
        if (clipValues.size() == 1 && !(clipValues.get(0) instanceof ClipRule.None)) {
            tokens.add("clip=" + clipValues.get(0).spec());
        } else if (clipValues.size() > 1) {
            for (TensorClass c : integerClasses) tokens.add(keyOf(c) + ".clip=" + plan.of(c).clip().spec());
        }
        List<Double> outlierValues = integerClasses.stream().map(c -> plan.of(c).outlierFraction()).distinct().toList();
        if (outlierValues.size() == 1 && outlierValues.get(0) != 0) {
            tokens.add("outliers=" + ClipRule.plain(outlierValues.get(0)));
        } else if (outlierValues.size() > 1) {
            for (TensorClass c : integerClasses) tokens.add(keyOf(c) + ".outliers=" + ClipRule.plain(plan.of(c).outlierFraction()));
        }
        plan.byTensor().forEach((name, precision) -> tokens.add("@" + name + "=" + tensorValue(precision)));
        return String.join(",", tokens);
    }

    private static String keyOf(TensorClass tensorClass) {
        return KEYS.entrySet().stream().filter(e -> e.getValue() == tensorClass).findFirst().orElseThrow().getKey();
    }

    private static QuantFormat format(String spec, String token, String value) {
        for (QuantFormat f : QuantFormat.values()) {
            if (f.specName().equals(value)) return f;
        }
        throw bad(spec, token, "unknown format '" + value + "' (allowed: " + FORMATS + ")");
    }

    private static ClipRule clip(String spec, String token, String value) {
        try {
            return ClipRule.parse(value);
        } catch (IllegalArgumentException e) {
            throw bad(spec, token, e.getMessage());
        }
    }

    private static double fraction(String spec, String token, String value) {
        String allowed = "allowed: a number in [0, " + TensorPrecision.MAX_OUTLIER_FRACTION + "]";
        double fraction;
        try {
            fraction = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw bad(spec, token, "outlier fraction '" + value + "' is not a number (" + allowed + ")");
        }
        if (!(fraction >= 0 && fraction <= TensorPrecision.MAX_OUTLIER_FRACTION)) {
            throw bad(spec, token, "outlier fraction " + value + " is out of range (" + allowed + ")");
        }
        return fraction;
    }

    private static IllegalArgumentException bad(String spec, String token, String why) {
        return new IllegalArgumentException("bad token '" + token + "' in precision plan '" + spec + "': " + why);
    }
}
