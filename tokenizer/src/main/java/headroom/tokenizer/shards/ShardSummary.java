package headroom.tokenizer.shards;

import java.util.regex.Pattern;

/**
 * What one shard file holds, as written and as recomputed on verification.
 *
 * @param file       the file name, relative to the shard directory
 * @param documents  rows (documents)
 * @param tokens     tokens, each document's BOS included
 * @param textBytes  UTF-8 bytes of the documents' text
 * @param sha256     lower-case hex SHA-256 of the whole file
 */
public record ShardSummary(String file, long documents, long tokens, long textBytes, String sha256) {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    public ShardSummary {
        if (file == null || file.isBlank() || file.contains("/") || file.contains("\\")) {
            throw new IllegalArgumentException("file must be a plain file name, got " + file);
        }
        if (documents < 0) {
            throw new IllegalArgumentException("documents must be >= 0, got " + documents);
        }
        if (tokens < documents) {
            throw new IllegalArgumentException("tokens must be >= documents (one BOS each) = " + documents + ", got " + tokens);
        }
        if (textBytes < 0) {
            throw new IllegalArgumentException("textBytes must be >= 0, got " + textBytes);
        }
        if (sha256 == null || !SHA256_HEX.matcher(sha256).matches()) {
            throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits, got " + sha256);
        }
    }
}
