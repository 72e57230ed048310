package headroom.model.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Heap in use and process resident memory (VmRSS from /proc/self/status, which also counts the
 * native tensors PyTorch holds), with the peaks seen so far: flat peaks over a long run show that
 * per-step memory is released.
 */
final class MemoryProbe {

    private static final Path STATUS = Path.of("/proc/self/status");

    private double heapMb;
    private double rssMb;
    private double peakHeapMb;
    private double peakRssMb;

    void sample() {
        Runtime rt = Runtime.getRuntime();
        heapMb = (rt.totalMemory() - rt.freeMemory()) / 1048576.0;
        rssMb = readRssMb();
        peakHeapMb = Math.max(peakHeapMb, heapMb);
        peakRssMb = Math.max(peakRssMb, rssMb);
    }

    /** Resident set size in MB, or 0 where /proc is not available. */
    static double readRssMb() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0; // kB
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    double heapMb() {
        return heapMb;
    }

    double rssMb() {
        return rssMb;
    }

    double peakHeapMb() {
        return peakHeapMb;
    }

    double peakRssMb() {
        return peakRssMb;
    }
}
