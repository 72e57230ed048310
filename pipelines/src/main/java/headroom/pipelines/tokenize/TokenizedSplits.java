package headroom.pipelines.tokenize;

import headroom.pipelines.run.RunLayout;
import headroom.tokenizer.shards.ShardManifest;
import headroom.tokenizer.shards.TokenShardReader;
import headroom.core.TokenStream;

import java.io.IOException;
import java.nio.file.Path;

/** The checked way to read back a split's shards ({@link RunLayout#shards(int, String)}), for train and score. */
public final class TokenizedSplits {

    private TokenizedSplits() {
    }

    /**
     * Every document of the split, in doc_id order, after checking each shard against the manifest
     * (checksum and counts).
     *
     * @throws IOException naming the shard that is missing, corrupt or differs from the manifest
     */
    public static TokenStream read(RunLayout run, int vocabSize, String split) throws IOException {
        Path dir = run.shards(vocabSize, split);
        ShardManifest manifest = ShardManifest.verify(dir);
        if (manifest.vocabSize() != vocabSize || !manifest.split().equals(split)) {
            throw new IOException("shard manifest in " + dir + " is for v" + manifest.vocabSize() + " " + manifest.split()
                    + ", not v" + vocabSize + " " + split + ": the directory was moved or copied by hand; re-run tokenize");
        }
        return TokenShardReader.read(manifest.shardPaths(dir));
    }
}
