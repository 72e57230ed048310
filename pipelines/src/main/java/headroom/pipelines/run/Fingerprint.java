package headroom.pipelines.run;

import headroom.core.io.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/** SHA-256 fingerprints of what a stage depends on. */
public final class Fingerprint {

    private Fingerprint() {
    }

    /** A stage's fingerprint: what the runner compares to decide whether it is up to date. */
    public static String of(StageSpec spec) {
        return of(spec.codeVersion(), spec.confSnapshot(), spec.inputFingerprints());
    }

    public static String of(String codeVersion, String conf, Map<String, String> inputs) {
        MessageDigest md = Sha256.newDigest();
        update(md, codeVersion);
        update(md, conf);
        new TreeMap<>(inputs).forEach((k, v) -> {
            update(md, k);
            update(md, v);
        });
        return HexFormat.of().formatHex(md.digest());
    }

    public static String ofText(String text) {
        MessageDigest md = Sha256.newDigest();
        update(md, text);
        return HexFormat.of().formatHex(md.digest());
    }

    private static void update(MessageDigest md, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        // Length-prefix each field so ("ab","c") and ("a","bc") differ.
        md.update((b.length + ":").getBytes(StandardCharsets.US_ASCII));
        md.update(b);
    }
}
