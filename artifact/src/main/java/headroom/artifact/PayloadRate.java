package headroom.artifact;

import headroom.artifact.quant.BitPacking;
import headroom.artifact.quant.PositionCoding;
import headroom.artifact.quant.QuantizedTensor;

/**
 * An estimate of what a codec makes of one tensor's payload ({@link TensorPayload}), in bytes, without
 * running the codec: the order-0 entropy of the stored code bytes (the codecs land near it on quantized
 * weights, STACK.md) plus the scales, outlier positions and outlier values at their stored size. The
 * allocator prices hundreds of options per model with it; compressing each with brotli 11 would take
 * about a second per million codes. {@code PayloadRateTest} holds it within 2% of the real codecs.
 */
public final class PayloadRate {

    private PayloadRate() {
    }

    /** Estimated compressed bytes of {@code TensorPayload.encode(q)}. */
    public static double estimate(QuantizedTensor q) {
        double codes = switch (q.format()) {
            // float values: byte planes of near-noise low bytes and a few exponent patterns; not an option the allocator prices
            case FP16, FP32 -> TensorPayload.encode(q).length - 2.0 * q.scales().length;
            default -> codeEntropyBytes(q);
        };
        return codes + 2.0 * q.scales().length + PositionCoding.encode(q.outlierPositions()).length + 2.0 * q.outlierValues().length;
    }

    /** Order-0 entropy of the code bytes as the container stores them: one symbol per widened code, per packed byte otherwise. */
    static double codeEntropyBytes(QuantizedTensor q) {
        long[] counts = new long[256];
        long symbols;
        if (TensorPayload.WIDENED.contains(q.format())) {
            int[] codes = BitPacking.unpack(q.packed(), q.format().bits(), q.size());
            for (int c : codes) counts[c & 0xFF]++;
            symbols = codes.length;
        } else {
            for (byte b : q.packed()) counts[b & 0xFF]++;
            symbols = q.packed().length;
        }
        double bits = 0;
        for (long c : counts) {
            if (c > 0) bits -= c * (Math.log((double) c / symbols) / Math.log(2));
        }
        return bits / 8;
    }
}
