package headroom.pipelines.prep;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The out-of-domain set (headroom.sweep.heldout) as the sweep and the score read it: one document per
 * line (or a .jsonl text field), skipping what prep would quarantine (unreadable, invalid UTF-8, blank).
 * Read on the driver: held-out sets are small by design.
 */
public final class HeldoutText {

    private HeldoutText() {
    }

    /** At most {@code maxDocs} documents (0 = all), in file order. */
    public static List<String> read(String key, String path, Configuration hadoop, int maxDocs) throws IOException {
        List<String> docs = new ArrayList<>();
        for (InputFiles.InputFile f : InputFiles.list(key, List.of(path), hadoop).files()) {
            Path p = new Path(f.path());
            try (DocumentReader reader = new DocumentReader(f.path(), p.getFileSystem(hadoop).open(p), f.format(),
                    PrepConf.TxtMode.LINES, "text", Integer.MAX_VALUE - 16)) {
                while (reader.hasNext() && (maxDocs == 0 || docs.size() < maxDocs)) {
                    RawDoc doc = reader.next();
                    if (doc.problem() != null) continue;
                    String s = new String(doc.raw(), StandardCharsets.UTF_8);
                    if (!s.isBlank() && Arrays.equals(s.getBytes(StandardCharsets.UTF_8), doc.raw())) docs.add(s);
                }
            }
        }
        return docs;
    }
}
