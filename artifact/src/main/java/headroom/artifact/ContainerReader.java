package headroom.artifact;

import headroom.artifact.quant.QuantFormat;
import headroom.artifact.quant.QuantizedTensor;
import headroom.core.TensorClass;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * Reads what {@link ContainerWriter} writes, trusting nothing: magic, version, checksum, then every
 * count and shape is checked against the bytes that remain before anything is allocated.
 */
public final class ContainerReader {

    /** Smallest table entry: name length, class, format, rank, one dim, outlier count, position bytes, offset, length. */
    private static final int MIN_ENTRY_BYTES = 2 + 1 + 1 + 1 + 4 + 4 + 4 + 8 + 8;

    private ContainerReader() {
    }

    public static Container read(byte[] data) throws ArtifactFormatException {
        int minimum = ContainerWriter.PREAMBLE_BYTES + ContainerWriter.CHECKSUM_BYTES;
        if (data.length < minimum) {
            throw new ArtifactFormatException("truncated container: " + data.length + " bytes, a container takes at least " + minimum, ArtifactFormatException.REWRITE);
        }
        ByteCursor preamble = new ByteCursor(data, 0, ContainerWriter.PREAMBLE_BYTES, "container preamble");
        long magic = preamble.u32("magic");
        if (magic != ContainerWriter.MAGIC) {
            throw new ArtifactFormatException(String.format("not a Headroom container: magic 0x%08x, expected 0x%08x (\"HRCT\")", magic, ContainerWriter.MAGIC),
                    "pass the decompressed container of an artifact written by `headroom score`");
        }
        int version = preamble.u16("version");
        if (version != ContainerWriter.VERSION) {
            throw new ArtifactFormatException("container version " + version + " is not supported (this reader knows version " + ContainerWriter.VERSION + ")",
                    "read it with the Headroom version that wrote it, or re-run `headroom score`");
        }
        int flags = preamble.u16("flags");
        if (flags != 0) throw new ArtifactFormatException("container flags are " + flags + ", version 1 defines none", ArtifactFormatException.REWRITE);
        checkCrc(data);
        int bodyEnd = data.length - ContainerWriter.CHECKSUM_BYTES;
        long headerLength = preamble.u32("header length");
        if (headerLength > bodyEnd - ContainerWriter.PREAMBLE_BYTES) {
            throw new ArtifactFormatException("container header length " + headerLength + " exceeds the " + (bodyEnd - ContainerWriter.PREAMBLE_BYTES)
                    + " bytes after the preamble", ArtifactFormatException.REWRITE);
        }
        int payloadStart = ContainerWriter.PREAMBLE_BYTES + (int) headerLength;
        ByteCursor header = new ByteCursor(data, ContainerWriter.PREAMBLE_BYTES, payloadStart, "container header");
        String modelSpec = header.utf8(header.u32("model spec length"), "model spec");
        String tokenizerId = header.utf8(header.u16("tokenizer id length"), "tokenizer id");
        int tensorCount = header.count("tensors", MIN_ENTRY_BYTES);
        ByteCursor payload = new ByteCursor(data, payloadStart, bodyEnd, "container payload");
        List<QuantizedTensor> tensors = new ArrayList<>(tensorCount);
        Set<String> names = new HashSet<>();
        for (int i = 0; i < tensorCount; i++) {
            QuantizedTensor t = readTensor(header, payload, i);
            if (!names.add(t.name())) throw new ArtifactFormatException("tensor name '" + t.name() + "' appears twice", ArtifactFormatException.REWRITE);
            tensors.add(t);
        }
        if (header.remaining() != 0) throw new ArtifactFormatException(header.remaining() + " unread bytes at the end of the container header", ArtifactFormatException.REWRITE);
        if (payload.remaining() != 0) throw new ArtifactFormatException(payload.remaining() + " bytes after the last tensor payload", ArtifactFormatException.REWRITE);
        return new Container(new ContainerHeader(modelSpec, tokenizerId), tensors);
    }

    private static QuantizedTensor readTensor(ByteCursor header, ByteCursor payload, int index) throws ArtifactFormatException {
        String name = header.utf8(header.u16("tensor " + index + " name length"), "tensor " + index + " name");
        String label = "tensor '" + name + "'";
        TensorClass tensorClass = FormatCodes.tensorClass(header.u8(label + " class"), name);
        QuantFormat format = FormatCodes.format(header.u8(label + " format"), name);
        int rank = header.u8(label + " rank");
        if (rank < 1 || rank > 2) throw new ArtifactFormatException(label + " has rank " + rank + ", expected 1 or 2", ArtifactFormatException.REWRITE);
        int[] shape = new int[rank];
        long n = 1;
        for (int d = 0; d < rank; d++) {
            long dim = header.u32(label + " dim " + d);
            n *= dim; // at most two u32 factors: no long overflow
            if (dim == 0 || n > Integer.MAX_VALUE) {
                throw new ArtifactFormatException(label + " has a dimension of " + dim + " (values so far " + n + "; each dim must be >= 1 and the product < 2^31)",
                        ArtifactFormatException.REWRITE);
            }
            shape[d] = (int) dim;
        }
        long outlierCount = header.u32(label + " outlier count");
        long positionBytes = header.u32(label + " outlier position bytes");
        if (outlierCount > n || positionBytes < outlierCount || positionBytes > 5 * outlierCount) {
            throw new ArtifactFormatException(label + " declares " + outlierCount + " outliers in " + positionBytes + " position bytes for " + n
                    + " values (need count <= values and count <= bytes <= 5 x count)", ArtifactFormatException.REWRITE);
        }
        long offset = header.u64(label + " payload offset", Integer.MAX_VALUE);
        long length = header.u64(label + " payload length", Integer.MAX_VALUE);
        long rows = rank == 1 ? 1 : shape[0];
        long expected = TensorPayload.length(format, n, rows, outlierCount, positionBytes);
        if (offset != payload.position() || length != expected) {
            throw new ArtifactFormatException(label + " payload at offset " + offset + " length " + length + ", expected offset " + payload.position()
                    + " length " + expected + " (" + n + " " + format + " values, " + outlierCount + " outliers)", ArtifactFormatException.REWRITE);
        }
        if (length > payload.remaining()) {
            throw new ArtifactFormatException(label + " needs " + length + " payload bytes but only " + payload.remaining() + " remain",
                    ArtifactFormatException.REWRITE);
        }
        return TensorPayload.decode(name, tensorClass, shape, format, (int) outlierCount, (int) positionBytes, payload);
    }

    private static void checkCrc(byte[] data) throws ArtifactFormatException {
        int bodyEnd = data.length - ContainerWriter.CHECKSUM_BYTES;
        CRC32 crc = new CRC32();
        crc.update(data, 0, bodyEnd);
        long stored = ByteBuffer.wrap(data, bodyEnd, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
        if (stored != crc.getValue()) {
            throw new ArtifactFormatException(String.format("container checksum mismatch: stored 0x%08x, computed 0x%08x", stored, crc.getValue()),
                    "the bytes are corrupt or truncated: re-run `headroom score` to rewrite the artifact");
        }
    }
}
