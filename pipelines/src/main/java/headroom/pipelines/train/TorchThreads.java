package headroom.pipelines.train;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Torch's thread counts, set as the system properties DJL's PyTorch engine reads once, when it
 * loads. Left to itself torch spins one thread per core and crawls when the cores are shared
 * (STACK.md, DJL threads), so the count is always explicit; values set by the user (-D) win.
 */
public final class TorchThreads {

    static final String INTRA_OP = "ai.djl.pytorch.num_threads";
    static final String INTER_OP = "ai.djl.pytorch.num_interop_threads";
    private static final Logger LOG = LoggerFactory.getLogger(TorchThreads.class);

    private TorchThreads() {
    }

    /** Must run before the first use of DJL's PyTorch engine in this JVM; later it has no effect. */
    public static void configureBeforeEngineLoads(int threads) {
        // One model's ops run one after another, so a single inter-op thread is enough.
        setIfAbsent(INTRA_OP, threads);
        setIfAbsent(INTER_OP, 1);
        LOG.info("torch threads intra-op {}, inter-op {}", System.getProperty(INTRA_OP), System.getProperty(INTER_OP));
    }

    private static void setIfAbsent(String key, int value) {
        if (System.getProperty(key) == null) System.setProperty(key, Integer.toString(value));
    }
}
