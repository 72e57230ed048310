package headroom.artifact.alloc;

import headroom.artifact.quant.ClipRule;
import headroom.artifact.quant.QuantFormat;
import headroom.artifact.quant.TensorPrecision;

import java.util.ArrayList;
import java.util.List;

/**
 * The precisions the allocator may give a tensor: every integer width x every row clip x every fp16
 * outlier fraction. The default grid: int8 down to int4, clip none or k x row std with k in {2.5, 3, 4, 6}
 * (Parameter Golf's entries clip at k x std), outliers 0 or 0.1%: 50 options per tensor.
 */
public record OptionGrid(List<QuantFormat> formats, List<ClipRule> clips, List<Double> outlierFractions) {

    public static final OptionGrid DEFAULT = new OptionGrid(QuantFormat.integers(),
            List.of(new ClipRule.None(), new ClipRule.StdMultiple(2.5), new ClipRule.StdMultiple(3), new ClipRule.StdMultiple(4),
                    new ClipRule.StdMultiple(6)),
            List.of(0.0, 0.001));

    public OptionGrid {
        formats = List.copyOf(formats);
        clips = List.copyOf(clips);
        outlierFractions = List.copyOf(outlierFractions);
        if (formats.isEmpty() || clips.isEmpty() || outlierFractions.isEmpty()) throw new IllegalArgumentException("an option grid needs a value on every axis");
        for (QuantFormat f : formats) {
            if (!f.isInteger()) throw new IllegalArgumentException("the allocator chooses among integer formats, got " + f);
        }
    }

    public List<TensorPrecision> precisions() {
        List<TensorPrecision> out = new ArrayList<>();
        for (QuantFormat f : formats) {
            for (ClipRule c : clips) {
                for (double o : outlierFractions) out.add(new TensorPrecision(f, c, o));
            }
        }
        return out;
    }
}
