package headroom.artifact;

import headroom.artifact.quant.PositionCoding;
import headroom.artifact.quant.QuantizedTensor;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;

/** Packs a header and quantized tensors into one container (layout: docs/ARTIFACT.md). Deterministic: same input, same bytes. */
public final class ContainerWriter {

    /** "HRCT": Headroom container. */
    static final int MAGIC = 0x54435248;
    static final int VERSION = 1;
    /** magic, version, flags, header length. */
    static final int PREAMBLE_BYTES = 12;
    static final int CHECKSUM_BYTES = 4;

    private ContainerWriter() {
    }

    public static byte[] write(ContainerHeader header, List<QuantizedTensor> tensors) {
        Set<String> names = new HashSet<>();
        LittleEndianBuffer block = new LittleEndianBuffer(); // the header block: spec, tokenizer id, tensor table
        byte[] spec = header.modelSpec().getBytes(StandardCharsets.UTF_8);
        byte[] tokenizerId = header.tokenizerId().getBytes(StandardCharsets.UTF_8);
        block.u32(spec.length).bytes(spec).u16(tokenizerId.length).bytes(tokenizerId).u32(tensors.size());
        ByteArrayOutputStream payloads = new ByteArrayOutputStream();
        for (QuantizedTensor t : tensors) {
            if (!names.add(t.name())) throw new IllegalArgumentException("tensor name '" + t.name() + "' appears twice");
            byte[] name = t.name().getBytes(StandardCharsets.UTF_8);
            if (name.length > 0xFFFF) throw new IllegalArgumentException("tensor name must be at most 65535 UTF-8 bytes, got " + name.length);
            byte[] payload = TensorPayload.encode(t);
            int positionBytes = PositionCoding.encode(t.outlierPositions()).length;
            block.u16(name.length).bytes(name).u8(FormatCodes.of(t.tensorClass())).u8(FormatCodes.of(t.format())).u8(t.shape().length);
            for (int dim : t.shape()) block.u32(dim);
            block.u32(t.outlierPositions().length).u32(positionBytes).u64(payloads.size()).u64(payload.length);
            payloads.writeBytes(payload);
        }
        byte[] headerBlock = block.toByteArray();
        LittleEndianBuffer out = new LittleEndianBuffer();
        out.u32(MAGIC).u16(VERSION).u16(0).u32(headerBlock.length).bytes(headerBlock).bytes(payloads.toByteArray());
        CRC32 crc = new CRC32();
        byte[] body = out.toByteArray();
        crc.update(body);
        return ByteBuffer.allocate(body.length + CHECKSUM_BYTES).order(ByteOrder.LITTLE_ENDIAN).put(body).putInt((int) crc.getValue()).array();
    }

    /** A growing little-endian byte sink with chained writes. */
    private static final class LittleEndianBuffer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        LittleEndianBuffer u8(int v) {
            out.write(v);
            return this;
        }

        LittleEndianBuffer u16(int v) {
            return u8(v).u8(v >>> 8);
        }

        LittleEndianBuffer u32(long v) {
            return u16((int) v & 0xFFFF).u16((int) (v >>> 16) & 0xFFFF);
        }

        LittleEndianBuffer u64(long v) {
            return u32(v & 0xFFFFFFFFL).u32(v >>> 32);
        }

        LittleEndianBuffer bytes(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }
}
