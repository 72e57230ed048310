package headroom.pipelines.sweep;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import headroom.pipelines.conf.ConfException;
import headroom.pipelines.conf.ConfReader;
import headroom.model.ModelConfig.HeadMode;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code headroom.hypothesis} section: which vocabulary pairs the sweep turns into the A / B / C
 * design of DESIGN.md ("the hypothesis as a decomposition") and how score decides the criteria.
 */
public record HypothesisConf(
        List<VocabPair> pairs,        // [[512, 2048]]: (V_small, V_large), V_small < V_large
        HeadMode headMode,            // TIED: the head mode of A, B and C
        double minEffectBpb,          // 0.005: a difference counts only when its 95% interval lies beyond +/- this
        double bytesTolerance) {      // 0.10: criterion 2 holds when the measured saving reaches (1 - this) x the prediction

    public static final String SECTION = "headroom.hypothesis";

    /** One pair of vocabulary sizes; its label names the design's rows, e.g. "512/2048". */
    public record VocabPair(int small, int large) {
        public String label() {
            return small + "/" + large;
        }
    }

    public HypothesisConf {
        pairs = List.copyOf(pairs);
    }

    public static HypothesisConf from(Config config) {
        ConfReader r = new ConfReader(config, SECTION);
        List<VocabPair> pairs = new ArrayList<>();
        List<? extends Object> raw;
        try {
            raw = config.getAnyRefList(r.key("pairs"));
        } catch (ConfigException e) {
            throw ConfException.badValue(r.key("pairs"), "?", "must be a list of [V_small, V_large] pairs, e.g. [[512, 2048]]");
        }
        for (Object o : raw) {
            if (!(o instanceof List<?> l) || l.size() != 2 || !(l.get(0) instanceof Integer s) || !(l.get(1) instanceof Integer g) || s >= g) {
                throw ConfException.badValue(r.key("pairs"), o, "each pair must be two vocabulary sizes [V_small, V_large] with V_small < V_large, e.g. [512, 2048]");
            }
            pairs.add(new VocabPair(s, g));
        }
        HeadMode mode;
        String m = r.string("head-mode");
        try {
            mode = HeadMode.ofLabel(m);
        } catch (IllegalArgumentException e) {
            throw ConfException.badValue(r.key("head-mode"), m, "use tied, untied or factorized");
        }
        return new HypothesisConf(pairs, mode, r.doubleIn("min-effect-bpb", 0, 10), r.doubleIn("bytes-tolerance", 0, 1));
    }
}
