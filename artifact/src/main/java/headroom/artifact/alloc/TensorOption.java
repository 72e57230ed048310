package headroom.artifact.alloc;

import headroom.artifact.quant.TensorPrecision;

import java.util.Objects;

/**
 * One way to store one tensor and what it costs: its compressed bytes (rate) and the loss it adds
 * when only this tensor is stored this way (distortion, in the distortion meter's units).
 */
public record TensorOption(TensorPrecision precision, double bytes, double distortion) {

    public TensorOption {
        Objects.requireNonNull(precision, "precision");
        if (!(bytes >= 0) || !Double.isFinite(distortion)) {
            throw new IllegalArgumentException("option " + precision + " needs bytes >= 0 and a finite distortion, got " + bytes + ", " + distortion);
        }
    }

}
