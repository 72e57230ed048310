package headroom.artifact;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The compression work of writing real artifacts, two ways, in turn in one process: the codec race and then each byte
 * attribution part compressed alone with the winner, one after another (before), against {@link Compression#smallestWithParts}
 * (the parts in the race's batch). Wall and process CPU seconds per round; it stops if any size differs.
 * Run (bench/artifact-write.sh): ArtifactWriteBench ROUNDS FILE.hra ...
 */
public final class ArtifactWriteBench {

    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args[0]);
        List<Artifact> artifacts = Arrays.stream(args, 1, args.length).map(a -> {
            try {
                return ArtifactReader.read(Path.of(a));
            } catch (Exception e) {
                throw new IllegalArgumentException(a + ": " + e.getMessage(), e);
            }
        }).toList();
        for (Artifact a : artifacts) { // the same sizes and bytes both ways, checked once outside the timing
            byte[] container = ContainerWriter.write(a.container().header(), a.container().tensors());
            List<byte[]> parts = ByteAttribution.parts(a.container().tensors(), container);
            Compression.WithParts before = oneAfterAnother(container, parts), after = Compression.smallestWithParts(container, parts);
            if (!Arrays.equals(before.partSizes(), after.partSizes()) || before.compressed().codec() != after.compressed().codec()
                    || !Arrays.equals(before.compressed().bytes(), after.compressed().bytes())) {
                throw new IllegalStateException("the two ways differ: " + Arrays.toString(before.partSizes()) + " " + Arrays.toString(after.partSizes()));
            }
        }
        double[][] wall = new double[2][rounds];
        double[][] cpu = new double[2][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int way = 0; way < 2; way++) {
                long w0 = System.nanoTime(), c0 = cpu();
                for (Artifact a : artifacts) {
                    byte[] container = ContainerWriter.write(a.container().header(), a.container().tensors());
                    List<byte[]> parts = ByteAttribution.parts(a.container().tensors(), container);
                    if (way == 0) oneAfterAnother(container, parts);
                    else Compression.smallestWithParts(container, parts);
                }
                wall[way][r] = (System.nanoTime() - w0) / 1e9;
                cpu[way][r] = (cpu() - c0) / 1e9;
            }
            System.out.printf(Locale.ROOT, "round %d | before %.2f s wall %.2f s cpu | after %.2f s wall %.2f s cpu | wall after/before %.3f%n",
                    r + 1, wall[0][r], cpu[0][r], wall[1][r], cpu[1][r], wall[1][r] / wall[0][r]);
        }
    }

    /** Before: the race, then each part with the winner in turn. */
    private static Compression.WithParts oneAfterAnother(byte[] container, List<byte[]> parts) {
        Compressed compressed = Compression.smallest(container);
        long[] sizes = parts.stream().mapToLong(p -> p.length == 0 ? 0 : compressed.codec().compress(p).length).toArray();
        return new Compression.WithParts(compressed, sizes);
    }

    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
