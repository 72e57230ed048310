package headroom.tokenizer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZ;
import org.tukaani.xz.XZInputStream;
import org.tukaani.xz.XZOutputStream;

/**
 * The tokenizer as it counts in the artifact: a compact binary, xz-compressed (LZMA2 preset 9
 * extreme). Its length is the "tokenizer bytes" of the budget (DESIGN.md "The budget model").
 *
 * <pre>
 * magic "HRTK" | version u8 | specials u16 | per special: length u16, UTF-8 bytes
 *   | merges u32 | per merge: left u16, right u16     (big-endian; merge i makes id 256 + specials + i)
 * </pre>
 * Version 1 means the pre-tokenizer of {@link ByteLevel}; another split would need another version.
 */
public final class TokenizerAsset {
    private static final byte[] MAGIC = {'H', 'R', 'T', 'K'};
    private static final int VERSION = 1;
    /** Far above any valid asset (65,536 ids): guards decompression of a corrupt input. */
    private static final int MAX_RAW_BYTES = 1 << 20;

    private TokenizerAsset() {
    }

    public static byte[] encode(BpeModel model) {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(raw)) {
            out.write(MAGIC);
            out.writeByte(VERSION);
            out.writeShort(model.specialTokens().size());
            for (String special : model.specialTokens()) {
                byte[] bytes = special.getBytes(StandardCharsets.UTF_8);
                out.writeShort(bytes.length);
                out.write(bytes);
            }
            out.writeInt(model.merges().size());
            for (MergeStep merge : model.merges()) {
                out.writeShort(merge.left());
                out.writeShort(merge.right());
            }
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try {
            // xz -9e: preset 9 with the extreme match search; the dictionary need not exceed the input
            LZMA2Options options = new LZMA2Options(9);
            options.setNiceLen(LZMA2Options.NICE_LEN_MAX);
            options.setDepthLimit(512);
            options.setDictSize(Math.max(LZMA2Options.DICT_SIZE_MIN, raw.size()));
            try (XZOutputStream xz = new XZOutputStream(compressed, options, XZ.CHECK_CRC32)) {
                xz.write(raw.toByteArray());
            }
        } catch (IOException e) {
            throw new IllegalStateException("xz compression in memory failed", e);
        }
        return compressed.toByteArray();
    }

    /** The model back (merge counts read as 0); a corrupt or foreign asset is an IllegalArgumentException. */
    public static BpeModel decode(byte[] asset) {
        byte[] raw = decompress(asset);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(raw))) {
            byte[] magic = in.readNBytes(MAGIC.length);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new IllegalArgumentException("tokenizer asset must start with HRTK, got " + Arrays.toString(magic));
            }
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("tokenizer asset version must be " + VERSION + ", got " + version);
            }
            int specialCount = in.readUnsignedShort();
            List<String> specials = new ArrayList<>(specialCount);
            for (int i = 0; i < specialCount; i++) {
                specials.add(new String(in.readNBytes(in.readUnsignedShort()), StandardCharsets.UTF_8));
            }
            int mergeCount = in.readInt();
            int firstMergeId = 256 + specialCount;
            if (mergeCount < 0 || firstMergeId + (long) mergeCount > BpeConfig.MAX_VOCAB_SIZE) {
                throw new IllegalArgumentException("tokenizer asset merge count must fit uint16 ids, got " + mergeCount);
            }
            List<MergeStep> merges = new ArrayList<>(mergeCount);
            for (int i = 0; i < mergeCount; i++) {
                merges.add(new MergeStep(in.readUnsignedShort(), in.readUnsignedShort(), firstMergeId + i, 0));
            }
            if (in.read() != -1) {
                throw new IllegalArgumentException("tokenizer asset has bytes after its last merge");
            }
            return new BpeModel(specials, merges);
        } catch (EOFException e) {
            throw new IllegalArgumentException("tokenizer asset is truncated", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("tokenizer asset cannot be read: " + e.getMessage(), e);
        }
    }

    private static byte[] decompress(byte[] asset) {
        try (InputStream xz = new XZInputStream(new ByteArrayInputStream(asset))) {
            byte[] raw = xz.readNBytes(MAX_RAW_BYTES + 1);
            if (raw.length > MAX_RAW_BYTES) {
                throw new IllegalArgumentException("tokenizer asset decompresses to more than " + MAX_RAW_BYTES + " bytes");
            }
            return raw;
        } catch (IOException e) {
            throw new IllegalArgumentException("tokenizer asset is not valid xz data: " + e.getMessage(), e);
        }
    }
}
