package headroom.pipelines.sweep;

import com.typesafe.config.Config;
import headroom.pipelines.conf.ConfException;
import headroom.pipelines.conf.ConfReader;
import headroom.model.BudgetFit;
import headroom.model.ModelConfig;

/**
 * The {@code headroom.model} section: everything of a model but its vocabulary, head and shape (width,
 * unique blocks, MLP multiple), which the budget fills from these defaults, and its context
 * ({@link ContextLength}). Shared by the sweep (to size candidates) and training.
 */
public final class RecipeConf {

    public static final String SECTION = "headroom.model";

    private RecipeConf() {
    }

    public static BudgetFit.Recipe from(Config config) {
        ConfReader r = new ConfReader(config, SECTION);
        int headSize = r.intIn("head-size", 2, 1024);
        if (headSize % 2 != 0) throw ConfException.badValue(r.key("head-size"), headSize, "must be even (RoPE rotates pairs)");
        return new BudgetFit.Recipe(
                r.intIn("unique-blocks", 1, 64),
                r.intIn("loops", 1, 64),
                headSize,
                r.intIn("mlp-mult", 1, 16),
                r.intIn("queries-per-kv-head", 1, 64),
                r.oneOf("activation", ModelConfig.Activation.class),
                r.oneOf("conditioning", ModelConfig.Conditioning.class),
                r.bool("extra-norm"),
                r.doubleIn("rope-theta", 1, 1e9),
                r.doubleIn("soft-cap", 0, 1e4));
    }
}
