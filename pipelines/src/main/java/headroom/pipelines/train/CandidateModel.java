package headroom.pipelines.train;

import headroom.model.ModelConfig.HeadMode;
import headroom.pipelines.conf.ConfException;
import headroom.pipelines.sweep.SweepRows.Candidate;
import headroom.model.BudgetFit;
import headroom.model.ModelConfig;

/**
 * The model of one sweep candidate: its vocabulary, head, shape (d, U, MLP multiple) and context T
 * from the sweep, everything else from the {@code headroom.model} recipe, the same way the budget fill sized it.
 */
public final class CandidateModel {

    private CandidateModel() {
    }

    public static ModelConfig config(Candidate candidate, BudgetFit.Recipe recipe) {
        if (candidate.dModel() == 0) {
            throw new ConfException("candidate " + candidate.name() + " has no model under the cap: " + candidate.note());
        }
        if (candidate.loops() != recipe.loops()) {
            throw new ConfException("candidate " + candidate.name() + " was sized by the sweep for " + candidate.loops()
                    + " loops, but headroom.model now asks for " + recipe.loops() + "; re-run 'headroom sweep' (and tokenize) with this conf");
        }
        if (candidate.dModel() % recipe.widthStep() != 0) {
            throw new ConfException("candidate " + candidate.name() + " has dModel " + candidate.dModel() + ", not a multiple of head-size x queries-per-kv-head = "
                    + recipe.widthStep() + " of headroom.model; re-run 'headroom sweep' with this conf");
        }
        return recipe.config(candidate.vocabSize(), HeadMode.ofLabel(candidate.headMode()), candidate.headRank(),
                new BudgetFit.Shape(candidate.dModel(), candidate.uniqueBlocks(), candidate.mlpMult()), candidate.seqLen());
    }
}
