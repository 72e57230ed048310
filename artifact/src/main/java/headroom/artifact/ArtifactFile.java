package headroom.artifact;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32;

/**
 * The artifact file layout (docs/ARTIFACT.md): magic "HRAF", version, codec id, flags, the three part
 * lengths, the compressed container, the tokenizer asset, CRC32 of everything before it.
 */
final class ArtifactFile {

    /** "HRAF": Headroom artifact file. */
    static final int MAGIC = 0x46415248;
    static final int VERSION = 1;
    /** magic 4, version 2, codec 1, flags 1, container length 8, compressed length 8, tokenizer length 8. */
    static final int PREAMBLE_BYTES = 32;
    static final int CHECKSUM_BYTES = 4;
    /** Largest decompressed container accepted: 32x the 16 MB cap, room for fp32 reference artifacts. */
    static final int MAX_CONTAINER_BYTES = 1 << 29;

    private ArtifactFile() {
    }

    static byte[] encode(Codec codec, byte[] compressedContainer, int containerLength, byte[] tokenizerAsset) {
        ByteBuffer out = ByteBuffer.allocate(PREAMBLE_BYTES + compressedContainer.length + tokenizerAsset.length + CHECKSUM_BYTES)
                .order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(MAGIC).putShort((short) VERSION).put((byte) codec.id()).put((byte) 0)
                .putLong(containerLength).putLong(compressedContainer.length).putLong(tokenizerAsset.length)
                .put(compressedContainer).put(tokenizerAsset);
        CRC32 crc = new CRC32();
        crc.update(out.array(), 0, out.position());
        return out.putInt((int) crc.getValue()).array();
    }

    static Artifact decode(byte[] file) throws ArtifactFormatException {
        if (file.length < PREAMBLE_BYTES + CHECKSUM_BYTES) {
            throw new ArtifactFormatException("truncated artifact: " + file.length + " bytes, an artifact takes at least " + (PREAMBLE_BYTES + CHECKSUM_BYTES),
                    ArtifactFormatException.REWRITE);
        }
        ByteCursor preamble = new ByteCursor(file, 0, PREAMBLE_BYTES, "artifact preamble");
        long magic = preamble.u32("magic");
        if (magic != MAGIC) {
            throw new ArtifactFormatException(String.format("not a Headroom artifact: magic 0x%08x, expected 0x%08x (\"HRAF\")", magic, MAGIC),
                    "pass a file written by `headroom score` (artifacts/*.hra)");
        }
        int version = preamble.u16("version");
        if (version != VERSION) {
            throw new ArtifactFormatException("artifact version " + version + " is not supported (this reader knows version " + VERSION + ")",
                    "read it with the Headroom version that wrote it, or re-run `headroom score`");
        }
        int codecId = preamble.u8("codec id");
        int flags = preamble.u8("flags");
        if (flags != 0) throw new ArtifactFormatException("artifact flags are " + flags + ", version 1 defines none", ArtifactFormatException.REWRITE);
        int bodyEnd = file.length - CHECKSUM_BYTES;
        CRC32 crc = new CRC32();
        crc.update(file, 0, bodyEnd);
        long stored = ByteBuffer.wrap(file, bodyEnd, CHECKSUM_BYTES).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
        if (stored != crc.getValue()) {
            throw new ArtifactFormatException(String.format("artifact checksum mismatch: stored 0x%08x, computed 0x%08x", stored, crc.getValue()),
                    "the file is corrupt or truncated: re-run `headroom score` to rewrite it");
        }
        Codec codec = Codec.fromId(codecId);
        int containerLength = (int) preamble.u64("container length", MAX_CONTAINER_BYTES);
        long compressedLength = preamble.u64("compressed length", bodyEnd - PREAMBLE_BYTES);
        long tokenizerLength = preamble.u64("tokenizer length", bodyEnd - PREAMBLE_BYTES);
        if (PREAMBLE_BYTES + compressedLength + tokenizerLength != bodyEnd) {
            throw new ArtifactFormatException("artifact parts (" + compressedLength + " compressed + " + tokenizerLength + " tokenizer bytes) do not fill the "
                    + (bodyEnd - PREAMBLE_BYTES) + " bytes between preamble and checksum", ArtifactFormatException.REWRITE);
        }
        ByteCursor body = new ByteCursor(file, PREAMBLE_BYTES, bodyEnd, "artifact body");
        byte[] compressed = body.bytes(compressedLength, "compressed container");
        byte[] tokenizer = body.bytes(tokenizerLength, "tokenizer asset");
        Container container = ContainerReader.read(codec.decompress(compressed, containerLength));
        return new Artifact(container, codec, tokenizer, file.length);
    }
}
