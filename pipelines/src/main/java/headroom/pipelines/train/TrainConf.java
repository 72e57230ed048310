package headroom.pipelines.train;

import com.typesafe.config.Config;
import headroom.pipelines.conf.ConfException;
import headroom.pipelines.conf.ConfReader;
import headroom.pipelines.sweep.RecipeConf;
import headroom.training.TrainConfig;

import java.util.List;

/**
 * The {@code headroom.train} section (see reference.conf for each key): which sweep candidates to
 * train and how. The sequence length is the model's ({@code headroom.model.seq-len}), and
 * {@code threads = 0} resolves here to one torch thread per core, so the trainer always gets an
 * explicit count (STACK.md, DJL threads).
 */
public record TrainConf(List<String> candidates, TrainConfig train) {

    public static final String SECTION = "headroom.train";

    public TrainConf {
        candidates = List.copyOf(candidates);
        if (candidates.isEmpty()) throw ConfException.badValue(SECTION + ".candidates", candidates, "list at least one candidate, e.g. [\"v1024-tied\"]");
    }

    public static TrainConf from(Config config) {
        ConfReader r = new ConfReader(config, SECTION);
        int threads = r.intIn("threads", 0, 4096);
        String device = r.string("device");
        if (!List.of("auto", "cpu", "gpu").contains(device)) throw ConfException.badValue(r.key("device"), device, "use one of auto, cpu, gpu");
        double lr = r.doubleIn("lr", 1e-9, 10);
        double minLr = r.doubleIn("min-lr", 0, 10);
        if (minLr > lr) throw ConfException.badValue(r.key("min-lr"), minLr, "must be at most headroom.train.lr = " + lr);
        TrainConfig train = new TrainConfig(
                r.intIn("batch-size", 1, 1 << 16),
                new ConfReader(config, RecipeConf.SECTION).intIn("seq-len", 8, 1 << 16),
                lr,
                minLr,
                r.intIn("warmup-steps", 0, Integer.MAX_VALUE),
                r.oneOf("decay", TrainConfig.Decay.class),
                r.doubleIn("weight-decay", 0, 10),
                r.doubleIn("beta1", 0, 0.999999),
                r.doubleIn("beta2", 0, 0.999999),
                r.doubleIn("eps", 1e-30, 1),
                r.doubleIn("grad-clip", 0, 1e6),
                r.longIn("max-steps", 1, Long.MAX_VALUE),
                r.longIn("max-tokens", 0, Long.MAX_VALUE),
                r.doubleIn("max-seconds", 0, 1e9),
                r.intIn("eval-interval", 1, Integer.MAX_VALUE),
                r.intIn("eval-documents", 1, Integer.MAX_VALUE),
                r.intIn("checkpoint-interval", 1, Integer.MAX_VALUE),
                r.intIn("log-interval", 1, Integer.MAX_VALUE),
                r.longIn("seed", Long.MIN_VALUE, Long.MAX_VALUE),
                device,
                threads == 0 ? Runtime.getRuntime().availableProcessors() : threads);
        return new TrainConf(r.stringOrList("candidates"), train);
    }
}
