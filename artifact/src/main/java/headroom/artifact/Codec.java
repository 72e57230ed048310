package headroom.artifact;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.decoder.BrotliInputStream;
import com.aayushatharva.brotli4j.encoder.Encoder;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdInputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZInputStream;
import org.tukaani.xz.XZOutputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The general-purpose compressors an artifact may use, each at its strongest setting (DESIGN.md,
 * "scoring"). The id is what the artifact file stores.
 */
public enum Codec {
    /** zstd level 22 with long-distance matching over a 128 MiB window. */
    ZSTD(1),
    /** xz preset 9 | extreme (LZMA2, 64 MiB dictionary, shrunk to the input size). */
    XZ(2),
    /** brotli quality 11, window 2^24 (the largest brotli4j exposes). */
    BROTLI(3);

    private static final int ZSTD_LEVEL = 22;
    private static final int ZSTD_WINDOW_LOG = 27;
    private static final int XZ_MEMORY_LIMIT_KIB = 256 * 1024;
    private static final int BROTLI_QUALITY = 11;
    private static final int BROTLI_WINDOW_LOG = 24;

    private final int id;

    Codec(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    public static Codec fromId(int id) throws ArtifactFormatException {
        for (Codec c : values()) {
            if (c.id == id) return c;
        }
        throw new ArtifactFormatException("unknown codec id " + id + " (known: 1 zstd, 2 xz, 3 brotli)", ArtifactFormatException.REWRITE);
    }

    public byte[] compress(byte[] data) {
        try {
            return switch (this) {
                case ZSTD -> {
                    try (ZstdCompressCtx ctx = new ZstdCompressCtx()) {
                        ctx.setLevel(ZSTD_LEVEL);
                        ctx.setLong(ZSTD_WINDOW_LOG);
                        yield ctx.compress(data);
                    }
                }
                case XZ -> xz(data);
                case BROTLI -> {
                    Brotli4jLoader.ensureAvailability();
                    yield Encoder.compress(data, new Encoder.Parameters().setQuality(BROTLI_QUALITY).setWindow(BROTLI_WINDOW_LOG));
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException(this + " compression failed", e);
        }
    }

    /**
     * Decompresses exactly {@code expectedLength} bytes. The output grows only as real data arrives, so a
     * hostile length costs nothing, and a stream that decodes to more or fewer bytes fails.
     */
    public byte[] decompress(byte[] compressed, int expectedLength) throws ArtifactFormatException {
        try (InputStream in = open(new ByteArrayInputStream(compressed))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(expectedLength, 1 << 20));
            byte[] buffer = new byte[1 << 16];
            int read;
            while ((read = in.read(buffer)) > 0) {
                if ((long) out.size() + read > expectedLength) {
                    throw new ArtifactFormatException(this + " stream decodes to more than the declared " + expectedLength + " bytes",
                            ArtifactFormatException.REWRITE);
                }
                out.write(buffer, 0, read);
            }
            if (out.size() != expectedLength) {
                throw new ArtifactFormatException(this + " stream decodes to " + out.size() + " bytes, the artifact declares " + expectedLength,
                        ArtifactFormatException.REWRITE);
            }
            return out.toByteArray();
        } catch (ArtifactFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new ArtifactFormatException(this + " stream is corrupt: " + e, ArtifactFormatException.REWRITE, e);
        }
    }

    private InputStream open(InputStream in) throws IOException {
        return switch (this) {
            case ZSTD -> new ZstdInputStream(in).setLongMax(ZSTD_WINDOW_LOG);
            case XZ -> new XZInputStream(in, XZ_MEMORY_LIMIT_KIB);
            case BROTLI -> {
                Brotli4jLoader.ensureAvailability();
                yield new BrotliInputStream(in);
            }
        };
    }

    private static byte[] xz(byte[] data) throws IOException {
        LZMA2Options options = XzPresets.nineExtreme();
        // a dictionary beyond the input changes nothing in the output but costs ~10x its size in encoder memory
        options.setDictSize(Math.max(LZMA2Options.DICT_SIZE_MIN, Math.min(options.getDictSize(), data.length)));
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 64);
        try (XZOutputStream xz = new XZOutputStream(out, options)) {
            xz.write(data);
        }
        return out.toByteArray();
    }
}
