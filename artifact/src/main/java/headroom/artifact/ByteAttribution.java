package headroom.artifact;

import headroom.artifact.quant.QuantizedTensor;
import headroom.core.TensorClass;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Splits an artifact's compressed container among tensor classes. A codec compresses the container as
 * one stream, so no byte of its output belongs to a class; instead each class's payload bytes (and the
 * container's own header bytes) are compressed alone with the chosen codec, and the real compressed
 * size is shared in proportion to those sizes, rounded by largest remainder so the parts sum exactly.
 */
final class ByteAttribution {

    private ByteAttribution() {
    }

    /**
     * What the compressed container is shared among, in this order: each tensor class's payloads (enum order), then the
     * container's own bytes (header and framing). Each is compressed alone with the chosen codec ({@link Compression#smallestWithParts}).
     */
    static List<byte[]> parts(List<QuantizedTensor> tensors, byte[] container) {
        Map<TensorClass, ByteArrayOutputStream> payloads = new EnumMap<>(TensorClass.class);
        for (TensorClass c : TensorClass.values()) payloads.put(c, new ByteArrayOutputStream());
        long payloadTotal = 0;
        for (QuantizedTensor t : tensors) {
            byte[] payload = TensorPayload.encode(t);
            payloads.get(t.tensorClass()).writeBytes(payload);
            payloadTotal += payload.length;
        }
        List<byte[]> parts = new ArrayList<>();
        for (TensorClass c : TensorClass.values()) parts.add(payloads.get(c).toByteArray());
        parts.add(withoutPayloads(container, payloadTotal));
        return parts;
    }

    /** {@code partSizes}: the compressed size of each of {@link #parts}, in that order, under {@code compressed}'s codec. */
    static ArtifactBytes attribute(List<QuantizedTensor> tensors, long[] partSizes, Compressed compressed, long tokenizerBytes, long fileBytes) {
        if (partSizes.length != TensorClass.values().length + 1) {
            throw new IllegalArgumentException("one size per tensor class and one for the container's own bytes, got " + partSizes.length);
        }
        Map<TensorClass, Long> parameters = new EnumMap<>(TensorClass.class);
        for (TensorClass c : TensorClass.values()) parameters.put(c, 0L);
        for (QuantizedTensor t : tensors) parameters.merge(t.tensorClass(), (long) t.size(), Long::sum);
        long[] shares = largestRemainder(compressed.bytes().length, partSizes);
        Map<TensorClass, Long> tensorBytes = new EnumMap<>(TensorClass.class);
        for (TensorClass c : TensorClass.values()) tensorBytes.put(c, shares[c.ordinal()]);
        long framing = fileBytes - compressed.bytes().length - tokenizerBytes;
        return new ArtifactBytes(tensorBytes, parameters, tokenizerBytes, framing + shares[shares.length - 1], fileBytes);
    }

    /** The container's own bytes: preamble and header before the payload section, checksum after it. */
    private static byte[] withoutPayloads(byte[] container, long payloadTotal) {
        int headEnd = Math.toIntExact(container.length - ContainerWriter.CHECKSUM_BYTES - payloadTotal);
        byte[] own = new byte[headEnd + ContainerWriter.CHECKSUM_BYTES];
        System.arraycopy(container, 0, own, 0, headEnd);
        System.arraycopy(container, container.length - ContainerWriter.CHECKSUM_BYTES, own, headEnd, ContainerWriter.CHECKSUM_BYTES);
        return own;
    }

    /** Splits total in proportion to weights into integers that sum to total (Hamilton's method; ties to the lower index). */
    static long[] largestRemainder(long total, long[] weights) {
        long weightSum = 0;
        for (long w : weights) weightSum += w;
        long[] shares = new long[weights.length];
        if (weightSum == 0) {
            shares[shares.length - 1] = total;
            return shares;
        }
        double[] remainders = new double[weights.length];
        long given = 0;
        for (int i = 0; i < weights.length; i++) {
            double exact = (double) total * weights[i] / weightSum;
            shares[i] = (long) Math.floor(exact);
            remainders[i] = exact - shares[i];
            given += shares[i];
        }
        for (long left = total - given; left > 0; left--) {
            int best = 0;
            for (int i = 1; i < weights.length; i++) {
                if (remainders[i] > remainders[best]) best = i;
            }
            shares[best]++;
            remainders[best] = -1;
        }
        return shares;
    }
}
