package headroom.scoring.baseline;

import com.github.luben.zstd.Zstd;
import headroom.artifact.XzPresets;
import org.tukaani.xz.XZOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Bits per byte of classical compressors on the same bytes the model is scored on (DESIGN.md,
 * "scoring"): a reader sees at once whether the model beats them. Container framing (gzip header,
 * xz stream header and index, zstd frame header) is counted, as the command-line tools would write it.
 */
public final class ClassicalBaselines {

    public static final String GZIP_9 = "gzip -9";
    public static final String XZ_9E = "xz -9e";
    public static final String ZSTD_19 = "zstd -19";

    private ClassicalBaselines() {
    }

    /** Keys {@link #GZIP_9}, {@link #XZ_9E}, {@link #ZSTD_19}, in that order: 8 x compressed bytes / input bytes. */
    public static Map<String, Double> bitsPerByte(byte[] text) {
        if (text.length == 0) throw new IllegalArgumentException("text must not be empty: bits per byte of 0 bytes is undefined");
        Map<String, Double> out = new LinkedHashMap<>();
        out.put(GZIP_9, 8.0 * gzip9(text) / text.length);
        out.put(XZ_9E, 8.0 * xz9e(text) / text.length);
        out.put(ZSTD_19, 8.0 * Zstd.compress(text, 19).length / text.length);
        return out;
    }

    private static int gzip9(byte[] text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out) {
            {
                def.setLevel(Deflater.BEST_COMPRESSION);
            }
        }) {
            gzip.write(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.size();
    }

    private static int xz9e(byte[] text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (XZOutputStream xz = new XZOutputStream(out, XzPresets.nineExtreme())) {
            xz.write(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.size();
    }
}
