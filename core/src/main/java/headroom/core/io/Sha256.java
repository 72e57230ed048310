package headroom.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** SHA-256, the one digest of the project: of files, of bytes, or a fresh digest to feed by hand. */
public final class Sha256 {

    private Sha256() {
    }

    /** SHA-256 of a file, as lower-case hex. */
    public static String of(Path file) throws IOException {
        return ofFiles(List.of(file));
    }

    /** SHA-256 of the files' bytes, one after the other, as lower-case hex. */
    public static String ofFiles(List<Path> files) throws IOException {
        MessageDigest digest = newDigest();
        byte[] buffer = new byte[1 << 16];
        for (Path file : files) {
            try (InputStream in = Files.newInputStream(file)) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    digest.update(buffer, 0, n);
                }
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The 32 raw bytes of SHA-256 over {@code bytes}. */
    public static byte[] digest(byte[] bytes) {
        return newDigest().digest(bytes);
    }

    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }
}
