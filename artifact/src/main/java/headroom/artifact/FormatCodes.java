package headroom.artifact;

import headroom.artifact.quant.QuantFormat;
import headroom.core.TensorClass;

/** The one-byte codes the container stores for tensor classes and formats: fixed, never enum ordinals. */
final class FormatCodes {

    private FormatCodes() {
    }

    static int of(TensorClass tensorClass) {
        return switch (tensorClass) {
            case EMBEDDING_HEAD -> 1;
            case ATTENTION -> 2;
            case MLP -> 3;
            case NORM_CONDITIONING -> 4;
        };
    }

    static int of(QuantFormat format) {
        return switch (format) {
            case INT8 -> 1;
            case INT6 -> 2;
            case INT4 -> 3;
            case FP16 -> 4;
            case FP32 -> 5;
            case INT7 -> 6;
            case INT5 -> 7;
        };
    }

    static TensorClass tensorClass(int code, String tensor) throws ArtifactFormatException {
        for (TensorClass c : TensorClass.values()) {
            if (of(c) == code) return c;
        }
        throw new ArtifactFormatException("tensor '" + tensor + "' has unknown class code " + code + " (known: 1-4)", ArtifactFormatException.REWRITE);
    }

    static QuantFormat format(int code, String tensor) throws ArtifactFormatException {
        for (QuantFormat f : QuantFormat.values()) {
            if (of(f) == code) return f;
        }
        throw new ArtifactFormatException("tensor '" + tensor + "' has unknown format code " + code + " (known: 1-7)", ArtifactFormatException.REWRITE);
    }
}
