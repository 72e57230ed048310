package headroom.tokenizer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tukaani.xz.XZInputStream;

/** The bundled demo corpus (data/demo/austen.txt.xz, one document per line), split 9:1 into train and held-out. */
final class DemoCorpus {
    private static List<String> documents;

    private DemoCorpus() {
    }

    /** Every 10th document is held out; the rest train. */
    static List<String> train() {
        List<String> train = new ArrayList<>();
        for (int i = 0; i < all().size(); i++) {
            if (i % 10 != 0) {
                train.add(all().get(i));
            }
        }
        return train;
    }

    static List<String> heldOut() {
        List<String> heldOut = new ArrayList<>();
        for (int i = 0; i < all().size(); i += 10) {
            heldOut.add(all().get(i));
        }
        return heldOut;
    }

    static synchronized List<String> all() {
        if (documents == null) {
            Path file = Path.of(System.getProperty("headroom.repo.root", ".."), "data", "demo", "austen.txt.xz");
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                    new XZInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
                documents = List.copyOf(reader.lines().toList());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the demo corpus " + file, e);
            }
        }
        return documents;
    }

    static long utf8Bytes(List<String> docs) {
        long bytes = 0;
        for (String doc : docs) {
            bytes += doc.getBytes(StandardCharsets.UTF_8).length;
        }
        return bytes;
    }
}
