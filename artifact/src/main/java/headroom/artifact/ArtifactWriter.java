package headroom.artifact;

import headroom.core.io.AtomicFiles;
import headroom.artifact.quant.QuantizedTensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Packs, compresses (smallest codec wins) and writes one artifact atomically; reports its bytes by part. */
public final class ArtifactWriter {

    private static final Logger LOG = LoggerFactory.getLogger(ArtifactWriter.class);

    private ArtifactWriter() {
    }

    /**
     * @param path           the artifact file, replaced atomically (temp file, then rename)
     * @param header         model spec and tokenizer id stored in the container
     * @param tensors        the quantized tensors, in the order the container lists them
     * @param tokenizerAsset the tokenizer bytes stored as given (compress them first if they should be)
     */
    public static WrittenArtifact write(Path path, ContainerHeader header, List<QuantizedTensor> tensors, byte[] tokenizerAsset) throws IOException {
        long start = System.nanoTime();
        byte[] container = ContainerWriter.write(header, tensors);
        Compression.WithParts race = Compression.smallestWithParts(container, ByteAttribution.parts(tensors, container));
        Compressed compressed = race.compressed();
        byte[] file = ArtifactFile.encode(compressed.codec(), compressed.bytes(), container.length, tokenizerAsset);
        AtomicFiles.write(path, file);
        ArtifactBytes bytes = ByteAttribution.attribute(tensors, race.partSizes(), compressed, tokenizerAsset.length, file.length);
        LOG.info("artifact {} | {} bytes | {} of {} | container {} | emb/head {} | trunk {} | norms {} | tokenizer {} | overhead {} | {} ms",
                path.getFileName(), file.length, compressed.codec(), compressed.sizes(), container.length, bytes.embeddingHead(), bytes.trunk(),
                bytes.normsConditioning(), bytes.tokenizer(), bytes.overhead(), (System.nanoTime() - start) / 1_000_000);
        return new WrittenArtifact(path, compressed.codec(), compressed.sizes(), bytes);
    }
}
