package headroom.artifact;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Tries every codec and keeps the smallest output (ties: the first codec in enum order). */
public final class Compression {

    /**
     * The codec that wins on quantized weights (every artifact of the demo and the benchmarks so far): the parts of
     * {@link #smallestWithParts} are compressed with it while the codecs race.
     */
    static final Codec LIKELY_WINNER = Codec.BROTLI;

    /** The smallest encoding of some bytes, and the size of each part compressed alone by the codec that gave it (0 for an empty part). */
    record WithParts(Compressed compressed, long[] partSizes) {
    }

    private Compression() {
    }

    /**
     * The codecs run at once: each is single-threaded and deterministic, and brotli 11 and xz -9e take seconds on a
     * megabyte, so the artifact waits for the slowest codec rather than for their sum. The choice does not depend on
     * which finishes first.
     */
    public static Compressed smallest(byte[] data) {
        return smallestWithParts(data, List.of()).compressed();
    }

    /**
     * {@link #smallest} of {@code data}, and each of {@code parts} compressed alone by the winning codec (what
     * {@link ByteAttribution} shares the bytes by). The parts are compressed with {@link #LIKELY_WINNER} in the same
     * batch of jobs as the race, so the cores stay busy through the slowest codec's tail; when another codec wins they
     * are compressed again with it. Either way every size is the winner's, as compressing one after another gives.
     */
    static WithParts smallestWithParts(byte[] data, List<byte[]> parts) {
        return smallestWithParts(data, parts, LIKELY_WINNER);
    }

    static WithParts smallestWithParts(byte[] data, List<byte[]> parts, Codec likely) {
        Codec[] codecs = Codec.values();
        List<Runnable> jobs = new ArrayList<>();
        byte[][] outputs = new byte[codecs.length][];
        long[] guessed = new long[parts.size()];
        for (Codec codec : codecs) jobs.add(() -> outputs[codec.ordinal()] = codec.compress(data));
        for (int i = 0; i < parts.size(); i++) {
            int part = i;
            jobs.add(() -> guessed[part] = compressedSize(likely, parts.get(part)));
        }
        jobs.parallelStream().forEach(Runnable::run); // each job writes its own slot; the stream's end publishes them
        Map<Codec, Integer> sizes = new EnumMap<>(Codec.class);
        Codec best = null;
        for (Codec codec : codecs) {
            sizes.put(codec, outputs[codec.ordinal()].length);
            if (best == null || outputs[codec.ordinal()].length < outputs[best.ordinal()].length) best = codec;
        }
        Codec winner = best;
        long[] partSizes = winner == likely ? guessed : parts.parallelStream().mapToLong(p -> compressedSize(winner, p)).toArray();
        return new WithParts(new Compressed(winner, outputs[winner.ordinal()], sizes), partSizes);
    }

    private static long compressedSize(Codec codec, byte[] part) {
        return part.length == 0 ? 0 : codec.compress(part).length;
    }
}
