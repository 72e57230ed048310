package headroom.pipelines.train;

import headroom.pipelines.conf.ConfException;
import headroom.pipelines.sweep.SweepRows.Candidate;
import headroom.training.BudgetFit;
import headroom.training.ModelConfig;
import headroom.training.ModelConfig.HeadMode;

import java.util.Locale;

/**
 * The model of one sweep candidate: its vocabulary, head and width from the sweep, everything
 * else from the {@code headroom.model} recipe, the same way the budget fit sized it.
 */
public final class CandidateModel {

    private CandidateModel() {
    }

    public static ModelConfig config(Candidate candidate, BudgetFit.Recipe recipe) {
        if (candidate.uniqueBlocks() != recipe.uniqueBlocks() || candidate.loops() != recipe.loops()) {
            throw new ConfException("candidate " + candidate.name() + " was sized by the sweep for " + candidate.uniqueBlocks() + "x"
                    + candidate.loops() + " blocks, but headroom.model now asks for " + recipe.uniqueBlocks() + "x" + recipe.loops()
                    + "; re-run 'headroom sweep' (and tokenize) with this conf");
        }
        int widthStep = recipe.headSize() * recipe.queriesPerKvHead();
        if (candidate.dModel() % widthStep != 0) {
            throw new ConfException("candidate " + candidate.name() + " has dModel " + candidate.dModel() + ", not a multiple of head-size x queries-per-kv-head = "
                    + widthStep + " of headroom.model; re-run 'headroom sweep' with this conf");
        }
        int heads = candidate.dModel() / recipe.headSize();
        return new ModelConfig(candidate.vocabSize(), candidate.dModel(), heads, heads / recipe.queriesPerKvHead(),
                recipe.uniqueBlocks(), recipe.loops(), recipe.mlpMult(), recipe.activation(),
                HeadMode.valueOf(candidate.headMode().toUpperCase(Locale.ROOT)), candidate.headRank(), recipe.conditioning(),
                recipe.extraNorm(), recipe.ropeTheta(), recipe.softCap(), recipe.maxSeqLen());
    }
}
