package headroom.pipelines.predict;

import headroom.eval.predict.FittedLaw;
import headroom.eval.predict.LawInput;
import headroom.eval.predict.Prediction;
import headroom.pipelines.sweep.SweepRows.Candidate;
import headroom.pipelines.sweep.SweepRows.CandidatePrediction;
import headroom.training.TrainConfig;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The adapter between the sweep's candidates and the law (docs/PREDICTOR.md): a candidate's law inputs,
 * and the candidates ranked by predicted bits per byte. Pure.
 */
public final class CandidateLaw {

    private CandidateLaw() {
    }

    /** A candidate's inputs: non-embedding parameters, embedding/head parameters, val tokens per byte, training tokens. */
    public static LawInput input(Candidate c, double trainingTokens) {
        return new LawInput(c.parameters() - c.headParameters(), c.headParameters(), c.valTokensPerByte(), trainingTokens);
    }

    /**
     * The tokens a candidate will be trained on under this training conf: steps x batch x sequence length,
     * or the token budget when that ends first. (Time budgets are a safety net and not counted.)
     * Issue 9's bytes-matched budget makes this bytes x that vocabulary's train tokens per byte.
     */
    public static double plannedTrainingTokens(TrainConfig train) {
        double byStep = (double) train.maxSteps() * train.batchSize() * train.seqLen();
        return train.maxTokens() > 0 ? Math.min(byStep, train.maxTokens()) : byStep;
    }

    /** Every candidate's prediction, best (lowest bpb) first, ranks from 1; ties broken by name. */
    public static List<CandidatePrediction> rank(List<Candidate> candidates, FittedLaw law, double trainingTokens) {
        List<CandidatePrediction> rows = new ArrayList<>();
        for (Candidate c : candidates) {
            if (!(c.valTokensPerByte() > 0)) continue; // no val measurement, nothing to predict from
            Prediction p = law.predict(input(c, trainingTokens));
            rows.add(new CandidatePrediction(0, c.name(), c.vocabSize(), c.headMode(), c.dModel(), p.bpb(), p.low(), p.high(), law.basis()));
        }
        rows.sort(Comparator.comparingDouble(CandidatePrediction::predictedBpb).thenComparing(CandidatePrediction::candidate));
        List<CandidatePrediction> ranked = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) ranked.add(rows.get(i).withRank(i + 1));
        return ranked;
    }
}
