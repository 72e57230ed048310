package headroom.scoring.predict;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * What each reducible term of a fitted law does, in bits per byte: how much it moves across the runs it
 * was fitted to, and how much further it moves from those runs to the target. A term that moves by less
 * than a minimum effect across the runs found no effect of its variable there; whatever the law then
 * says at the target about that variable (how many bytes the trunk should get, say) is not supported by
 * the runs. Low effects are a finding, not an error: the fit stays, the report says it. Pure.
 */
public final class LawTerms {

    /**
     * One term: the variable it prices, its spread over the runs and its change from the runs' nearest
     * extreme to the target, both in bits per byte at the runs' mean tokens per byte.
     */
    public record Effect(String term, String variable, double acrossRunsBpb, double toTargetBpb) {

        /** Whether the runs show this term doing less than {@code minEffectBpb}. */
        public boolean flat(double minEffectBpb) {
            return acrossRunsBpb < minEffectBpb;
        }
    }

    private LawTerms() {
    }

    /** The trunk, head and data terms of {@code law} over {@code runs}, and towards {@code target}. */
    public static List<Effect> effects(VocabLaw law, List<LawInput> runs, LawInput target) {
        if (runs.isEmpty()) throw new IllegalArgumentException("no runs to measure the law's terms on");
        double perByte = runs.stream().mapToDouble(VocabLaw::perByte).average().orElseThrow();
        return List.of(
                effect("trunk", "non-embedding parameters", law::trunkTerm, runs, target, perByte),
                effect("head", "V x d", law::headTerm, runs, target, perByte),
                effect("data", "training tokens", law::dataTerm, runs, target, perByte));
    }

    private static Effect effect(String term, String variable, ToDoubleFunction<LawInput> natsPerToken, List<LawInput> runs, LawInput target,
                                 double perByte) {
        double lo = runs.stream().mapToDouble(natsPerToken).min().orElseThrow();
        double hi = runs.stream().mapToDouble(natsPerToken).max().orElseThrow();
        double t = natsPerToken.applyAsDouble(target);
        // inside the runs' range the target needs no extrapolation of this term
        double beyond = t < lo ? lo - t : t > hi ? t - hi : 0;
        return new Effect(term, variable, (hi - lo) * perByte, beyond * perByte);
    }
}
