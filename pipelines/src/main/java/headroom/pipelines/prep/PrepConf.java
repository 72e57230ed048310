package headroom.pipelines.prep;

import com.typesafe.config.Config;
import headroom.pipelines.conf.ConfException;
import headroom.pipelines.conf.ConfReader;

import java.io.Serializable;
import java.util.List;

/** The {@code headroom.prep} section, read and validated (see reference.conf for each key). */
public record PrepConf(
        List<String> inputs,
        TxtMode txtMode,
        String textColumn,
        int maxDocBytes,
        Normalization normalize,
        int partitions,
        SplitRule split) implements Serializable {

    public enum TxtMode { LINES, BLANK_LINES }

    public enum Normalization { NONE, NFC, NFKC }

    public static final String SECTION = "headroom.prep";

    public PrepConf {
        inputs = List.copyOf(inputs);
        if (inputs.isEmpty()) {
            throw new ConfException("conf key " + SECTION + ".inputs is empty: list the corpus files, directories or globs to read");
        }
        if (textColumn.isBlank()) throw ConfException.badValue(SECTION + ".text-column", textColumn, "must name a field");
    }

    public static PrepConf from(Config config) {
        ConfReader r = new ConfReader(config, SECTION);
        return new PrepConf(
                r.stringList("inputs"),
                r.oneOf("txt-mode", TxtMode.class),
                r.string("text-column"),
                r.intIn("max-doc-bytes", 1, Integer.MAX_VALUE - 16),
                r.oneOf("normalize", Normalization.class),
                r.intIn("partitions", 0, 100_000),
                SplitRule.from(r.section("split")));
    }
}
