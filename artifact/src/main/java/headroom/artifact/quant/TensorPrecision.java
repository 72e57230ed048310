package headroom.artifact.quant;

import java.util.Objects;

/**
 * How one tensor is quantized: its format, the row clip rule and the fraction of largest-|w| values
 * kept exactly in fp16 as sparse outliers. Clip and outliers only apply to integer formats.
 */
public record TensorPrecision(QuantFormat format, ClipRule clip, double outlierFraction) {

    /** Outliers cost ~2 bytes of value plus ~1-2 bytes of position each: beyond this a float format is cheaper. */
    public static final double MAX_OUTLIER_FRACTION = 0.5;

    public static final TensorPrecision FP16 = new TensorPrecision(QuantFormat.FP16, new ClipRule.None(), 0);

    public TensorPrecision {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(clip, "clip");
        if (!(outlierFraction >= 0 && outlierFraction <= MAX_OUTLIER_FRACTION)) {
            throw new IllegalArgumentException("outlierFraction must be in [0, " + MAX_OUTLIER_FRACTION + "], got " + outlierFraction);
        }
        if (!format.isInteger() && (!(clip instanceof ClipRule.None) || outlierFraction != 0)) {
            throw new IllegalArgumentException("clip and outliers apply only to integer formats, got " + format
                    + " with clip " + clip.spec() + " and outlierFraction " + outlierFraction);
        }
    }

    public static TensorPrecision of(QuantFormat format) {
        return new TensorPrecision(format, new ClipRule.None(), 0);
    }
}
