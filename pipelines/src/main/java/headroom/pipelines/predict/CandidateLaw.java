package headroom.pipelines.predict;

import headroom.pipelines.train.CandidateModel;
import headroom.pipelines.train.TrainConf;
import headroom.model.BudgetFit;

import headroom.scoring.predict.FittedLaw;
import headroom.scoring.predict.LawInput;
import headroom.scoring.predict.Prediction;
import headroom.pipelines.sweep.SweepRows.Candidate;
import headroom.pipelines.sweep.SweepRows.CandidatePrediction;
import headroom.model.TrainConfig;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;

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
     * The tokens a candidate will be trained on under this training conf and its budget protocol (bytes x
     * that vocabulary's train tokens per byte by default; tokens; FLOPs / FLOPs per token): steps x batch x
     * the candidate's T, or the token budget when that ends first. (Time budgets are not counted.)
     */
    public static double plannedTrainingTokens(TrainConf train, Candidate c, BudgetFit.Recipe recipe) {
        TrainConfig run = train.forRun(c, CandidateModel.config(c, recipe), train.train().seed());
        double byStep = (double) run.maxSteps() * run.batchSize() * run.seqLen();
        return run.maxTokens() > 0 ? Math.min(byStep, run.maxTokens()) : byStep;
    }

    /** What a ranking by a law that is not calibrated on this corpus says instead of bits per byte. */
    public static final String NOT_CALIBRATED = "prior, not calibrated";

    /** {@link #rank(List, FittedLaw, ToDoubleFunction)} with the same training tokens for every candidate. */
    public static List<CandidatePrediction> rank(List<Candidate> candidates, FittedLaw law, double trainingTokens) {
        return rank(candidates, law, c -> trainingTokens);
    }

    /** Every candidate ranked by the law; bits per byte only from a fitted law (the prior ranks without them). */
    public static List<CandidatePrediction> rank(List<Candidate> candidates, FittedLaw law, ToDoubleFunction<Candidate> trainingTokens) {
        return rank(candidates, law, trainingTokens, !law.isPrior());
    }

    /**
     * Every candidate's prediction, best (lowest bpb) first, ranks from 1; ties broken by name. Unless {@code calibrated}
     * (a law fitted to this corpus's runs), the rows keep the order and drop the numbers: bits per byte and interval NaN,
     * basis {@value #NOT_CALIBRATED}. The prior's level is not a forecast (its bpb is many times the measured ones), and
     * a law fitted to another corpus forecasts that corpus.
     */
    public static List<CandidatePrediction> rank(List<Candidate> candidates, FittedLaw law, ToDoubleFunction<Candidate> trainingTokens,
                                                 boolean calibrated) {
        List<CandidatePrediction> rows = new ArrayList<>();
        for (Candidate c : candidates) {
            if (!(c.valTokensPerByte() > 0) || c.dModel() == 0) continue; // no val measurement or no model: nothing to predict
            Prediction p = law.predict(input(c, trainingTokens.applyAsDouble(c)));
            rows.add(new CandidatePrediction(0, c.name(), c.vocabSize(), c.headMode(), c.dModel(), p.bpb(), p.low(), p.high(), law.basis()));
        }
        rows.sort(Comparator.comparingDouble(CandidatePrediction::predictedBpb).thenComparing(CandidatePrediction::candidate));
        List<CandidatePrediction> ranked = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            CandidatePrediction r = rows.get(i);
            ranked.add(calibrated ? r.withRank(i + 1) : new CandidatePrediction(i + 1, r.candidate(), r.vocabSize(), r.headMode(), r.dModel(),
                    Double.NaN, Double.NaN, Double.NaN, NOT_CALIBRATED));
        }
        return ranked;
    }
}
