package headroom.pipelines.prep;

import java.util.Locale;
import java.util.Optional;

/** What a file holds, read from its name: {@code .txt|.jsonl|.parquet}, optionally {@code .gz|.zst|.xz}. */
public record InputFormat(Kind kind, Compression compression) implements java.io.Serializable {

    public enum Kind { TXT, JSONL, PARQUET }

    public enum Compression { NONE, GZ, ZST, XZ }

    public static final String SUPPORTED = ".txt, .jsonl, .parquet (and .txt/.jsonl with .gz, .zst or .xz)";

    public static Optional<InputFormat> of(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        Compression c = Compression.NONE;
        for (Compression candidate : new Compression[]{Compression.GZ, Compression.ZST, Compression.XZ}) {
            String ext = "." + candidate.name().toLowerCase(Locale.ROOT);
            if (name.endsWith(ext)) {
                c = candidate;
                name = name.substring(0, name.length() - ext.length());
            }
        }
        if (name.endsWith(".txt")) return Optional.of(new InputFormat(Kind.TXT, c));
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) return Optional.of(new InputFormat(Kind.JSONL, c));
        if (name.endsWith(".parquet") && c == Compression.NONE) return Optional.of(new InputFormat(Kind.PARQUET, c));
        return Optional.empty();
    }
}
