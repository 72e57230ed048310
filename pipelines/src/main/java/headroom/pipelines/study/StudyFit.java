package headroom.pipelines.study;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.typesafe.config.Config;
import headroom.scoring.predict.FittedLaw;
import headroom.scoring.predict.LawJson;
import headroom.scoring.predict.LawTerms;
import headroom.scoring.predict.HeldOutCaps;
import headroom.scoring.predict.ScoredRun;
import headroom.scoring.predict.TaoOptimalVocab;
import headroom.pipelines.conf.HeadroomConf;
import headroom.pipelines.predict.CandidateLaw;
import headroom.pipelines.run.RunLayout;
import headroom.pipelines.run.Stage;
import headroom.pipelines.run.StageContext;
import headroom.pipelines.run.StageSpec;
import headroom.scoring.ScoreRows.LeaderboardRow;
import headroom.pipelines.spark.RecordTable;
import headroom.pipelines.study.StudyRows.FoldRow;
import headroom.pipelines.study.StudyRows.HeldOutRow;
import headroom.pipelines.study.StudyRows.RunRow;
import headroom.pipelines.sweep.BudgetTables;
import headroom.pipelines.sweep.HypothesisConf;
import headroom.pipelines.sweep.SweepRows.Candidate;
import headroom.pipelines.sweep.SweepRows.CandidatePrediction;
import headroom.pipelines.sweep.SweepRows.VocabMetrics;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The study's last stage ({@code study/fit}): the law fitted to every scored run with its bootstrap; its
 * validation as it is used, forward extrapolation to the largest cap held out entirely, with leave-one-cap-out
 * as a second view, each beside the two guesses that fit nothing ({@link HeldOutCaps}); and the candidates of
 * the target cap ranked by the law, each at the tokens the chosen training protocol buys its vocabulary, next
 * to Tao et al.'s optimal vocabulary for the best one's non-embedding size. Re-runs only when a run's score changed.
 */
final class StudyFit implements Stage {

    static final String NAME = "study/fit";
    private static final Logger LOG = LoggerFactory.getLogger(StudyFit.class);

    /** One scored run of the design: where it came from, what the law sees of it, its leaderboard row and its score's fingerprint. */
    record Measured(StudyDesign.Run run, ScoredRun scored, LeaderboardRow row, String scoreFingerprint) {
    }

    /** A training budget as the protocol states it ("bytes 700000") and the tokens it buys each candidate. */
    record Budget(String label, java.util.function.ToDoubleFunction<Candidate> tokens) {
    }

    /** The best candidate at the target cap, the runner-up, and Tao et al.'s optimal V for the best one's trunk. */
    record Target(List<CandidatePrediction> ranked, Candidate best, double trainingTokens, double taoVocabAtTheseFlops,
                  double taoVocabComputeOptimal) {
        CandidatePrediction first() {
            return ranked.get(0);
        }

        /** The runner-up when the best one's interval holds its prediction: the law cannot tell them apart. */
        boolean runnerUpWithinInterval() {
            return ranked.size() > 1 && ranked.get(0).predictedBpbLow() <= ranked.get(1).predictedBpb()
                    && ranked.get(1).predictedBpb() <= ranked.get(0).predictedBpbHigh();
        }
    }

    private final SparkSession spark;
    private final Config config;
    private final StudyConf study;
    private final List<Measured> measured;
    private final List<String> diverged;
    private final List<VocabMetrics> metrics;
    private final BudgetTables.Inputs sizing;
    private final Budget curveBudget;
    private final Budget targetBudget;

    /** {@code curveBudget}: the budget every cap was trained at, for the report's curves; {@code targetBudget}: the carry's. */
    StudyFit(SparkSession spark, Config config, StudyConf study, List<Measured> measured, List<String> diverged, List<VocabMetrics> metrics,
             BudgetTables.Inputs sizing, Budget curveBudget, Budget targetBudget) {
        this.spark = spark;
        this.config = config;
        this.study = study;
        this.measured = List.copyOf(measured);
        this.diverged = List.copyOf(diverged);
        this.metrics = metrics;
        this.sizing = sizing;
        this.curveBudget = curveBudget;
        this.targetBudget = targetBudget;
    }

    @Override
    public StageSpec spec() {
        Map<String, String> inputs = new LinkedHashMap<>();
        measured.forEach(m -> inputs.put(m.run().name(), m.scoreFingerprint()));
        return new StageSpec(NAME, headroom.pipelines.run.CodeFingerprint.of(StudyFit.class), HeadroomConf.render(config, StudyConf.SECTION) + "\ntarget-budget=" + targetBudget.label()
                + "\ncurve-budget=" + curveBudget.label() + "\ntrain=" + HeadroomConf.render(config, headroom.pipelines.train.TrainConf.SECTION)
                + "\ndiverged=" + diverged,
                inputs, List.of(RunLayout.RELATIVE.studyLaw().toString(), RunLayout.RELATIVE.studyFit().toString(),
                RunLayout.RELATIVE.studyReport().toString()));
    }

    @Override
    public Map<String, Object> execute(StageContext context) throws Exception {
        List<ScoredRun> runs = measured.stream().map(Measured::scored).toList();
        FittedLaw law;
        try {
            law = FittedLaw.fit(runs, study.huberDelta(), study.bootstrap(), study.bootstrapSeed());
        } catch (IllegalArgumentException refused) {
            throw new IllegalStateException("the study's runs cannot be fitted: " + refused.getMessage(), refused);
        }
        RunLayout staged = context.staged();
        Files.createDirectories(staged.studyLaw().getParent());
        LawJson.save(law, staged.studyLaw());
        HeldOutCaps.Fold forward = HeldOutCaps.forward(runs, study.huberDelta());
        List<HeldOutCaps.Fold> folds = new ArrayList<>(List.of(forward));
        folds.addAll(HeldOutCaps.leaveOneCapOut(runs, study.huberDelta()));
        Target target = target(law);
        double minEffect = HypothesisConf.from(config).minEffectBpb();
        List<LawTerms.Effect> terms = LawTerms.effects(law.law(), runs.stream().map(ScoredRun::input).toList(),
                CandidateLaw.input(target.best(), target.trainingTokens()));
        List<String> flat = terms.stream().filter(t -> t.flat(minEffect)).map(LawTerms.Effect::term).toList();

        Path tables = Files.createDirectories(staged.studyFit());
        List<RunRow> runRows = measured.stream().map(m -> runRow(m, law)).toList();
        RecordTable.write(spark, runRows, RunRow.class, tables.resolve("runs"));
        RecordTable.write(spark, folds.stream().map(FoldRow::of).toList(), FoldRow.class, tables.resolve("folds"));
        RecordTable.write(spark, folds.stream().flatMap(f -> f.points().stream().map(p -> new HeldOutRow(f.kind(), f.heldOutCap(), p.candidate(),
                p.vocabSize(), p.seeds(), p.measured(), p.predicted(), p.meanGuess()))).toList(), HeldOutRow.class, tables.resolve("held_out"));
        RecordTable.write(spark, target.ranked(), CandidatePrediction.class, tables.resolve("target"));

        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("runs", law.runs());
        summary.put("candidates", law.candidates());
        summary.put("diverged_runs", diverged);
        summary.put("rmse", law.rmse());
        summary.put("terms", terms.stream().map(t -> Map.of("term", t.term(), "across_runs_bpb", t.acrossRunsBpb(),
                "to_target_bpb", t.toTargetBpb())).toList());
        summary.put("flat_terms", flat);
        List<String> stillLearning = runRows.stream().filter(RunRow::stillLearning).map(RunRow::run).toList();
        summary.put("still_learning_runs", stillLearning);
        summary.put("law", law.law().toString());
        summary.put("folds", folds.stream().map(f -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", f.kind());
            m.put("held_out_cap", f.heldOutCap());
            m.put("pairs", f.law().pairs());
            m.put("order_accuracy", String.valueOf(f.law().orderAccuracy()));
            m.put("order_accuracy_larger_v", String.valueOf(f.largerV().orderAccuracy()));
            m.put("order_accuracy_mean_over_caps", String.valueOf(f.meanOverCaps().orderAccuracy()));
            m.put("spearman", String.valueOf(f.law().spearman()));
            m.put("mae", String.valueOf(f.law().meanAbsoluteError()));
            m.put("mae_mean_over_caps", String.valueOf(f.meanOverCaps().meanAbsoluteError()));
            m.put("shortfalls", f.shortfalls());
            m.put("meets_goal", f.meetsGoal());
            return m;
        }).toList());
        summary.put("target_budget", targetBudget.label());
        summary.put("target_cap_bytes", study.targetCapBytes());
        summary.put("target_best", target.first().candidate());
        summary.put("target_best_bpb", target.first().predictedBpb());
        summary.put("target_best_interval", List.of(target.first().predictedBpbLow(), target.first().predictedBpbHigh()));
        summary.put("tao_optimal_vocab_at_these_flops", target.taoVocabAtTheseFlops());
        summary.put("tao_optimal_vocab_compute_optimal", target.taoVocabComputeOptimal());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(tables.resolve("summary.json").toFile(), summary);

        Files.createDirectories(staged.reports());
        StudyReport.write(staged.studyReport(), study, law, terms, minEffect, runRows, diverged, folds, target, targetBudget.label(), this::curve);
        for (HeldOutCaps.Fold f : folds) {
            LOG.info(String.format(Locale.ROOT, "study: %s, held-out cap %,d | %d candidates | order %.3f of %d pairs (larger V %.3f, V's mean %.3f) "
                            + "| MAE %.4f bpb (V's mean %.4f)%s", f.kind(), f.heldOutCap(), f.points().size(), f.law().orderAccuracy(), f.law().pairs(),
                    f.largerV().orderAccuracy(), f.meanOverCaps().orderAccuracy(), f.law().meanAbsoluteError(), f.meanOverCaps().meanAbsoluteError(),
                    f.skipped().isEmpty() ? "" : " | " + f.skipped()));
        }
        for (String shortfall : forward.shortfalls()) LOG.warn("study: forward extrapolation to the largest cap: {}", shortfall);
        if (!stillLearning.isEmpty()) {
            LOG.warn("study: {} of {} runs were still learning at the end of their budget (train.convergence): {}", stillLearning.size(),
                    runRows.size(), stillLearning);
        }
        if (!flat.isEmpty()) {
            LOG.warn("study: the law's {} term(s) move by less than {} bpb across the runs: these runs show no effect of {}, so its prediction "
                    + "at the target cap says nothing about them (report/study.html)", flat, minEffect,
                    terms.stream().filter(t -> t.flat(minEffect)).map(LawTerms.Effect::variable).toList());
        }
        LOG.info(String.format(Locale.ROOT, "study: at %,d bytes the law predicts %s at %.4f bpb [%.4f, %.4f]; Tao et al.'s optimal V for its trunk: %.0f",
                study.targetCapBytes(), target.first().candidate(), target.first().predictedBpb(), target.first().predictedBpbLow(),
                target.first().predictedBpbHigh(), target.taoVocabAtTheseFlops()));
        return summary;
    }

    private Target target(FittedLaw law) {
        List<Candidate> candidates = StudyDesign.candidatesAt(study.targetCapBytes(), study.headModes(), metrics, sizing, study.fillBand()).stream()
                .filter(c -> c.dModel() > 0).toList();
        if (candidates.isEmpty()) {
            throw new IllegalStateException(String.format(Locale.ROOT, "no candidate fills the target cap %,d bytes (headroom.study.target-cap-bytes)",
                    study.targetCapBytes()));
        }
        List<CandidatePrediction> ranked = CandidateLaw.rank(candidates, law, targetBudget.tokens());
        Candidate best = candidates.stream().filter(c -> c.name().equals(ranked.get(0).candidate())).findFirst().orElseThrow();
        double nonVocab = best.parameters() - best.headParameters();
        double bestTokens = targetBudget.tokens().applyAsDouble(best);
        double flops = 6 * (double) best.parameters() * bestTokens;
        return new Target(ranked, best, bestTokens, TaoOptimalVocab.optimalVocab(nonVocab, best.dModel(), flops),
                TaoOptimalVocab.optimalVocab(nonVocab, best.dModel(), TaoOptimalVocab.computeOptimalFlops(nonVocab)));
    }

    /** The law's bpb for vocabulary V at each cap of the curve: the candidate the study sizes there, at the budget every cap trained at. */
    private double[][] curve(int vocabSize, FittedLaw law, double[] caps) {
        List<VocabMetrics> one = metrics.stream().filter(m -> m.vocabSize() == vocabSize).toList();
        List<double[]> points = new ArrayList<>();
        for (double cap : caps) {
            List<Candidate> c = StudyDesign.candidatesAt((long) cap, List.of(study.headModes().get(0)), one, sizing, study.fillBand()).stream()
                    .filter(x -> x.dModel() > 0).toList();
            if (!c.isEmpty()) points.add(new double[]{cap, law.predict(CandidateLaw.input(c.get(0), curveBudget.tokens().applyAsDouble(c.get(0)))).bpb()});
        }
        return points.toArray(double[][]::new);
    }

    private static RunRow runRow(Measured m, FittedLaw law) {
        ScoredRun s = m.scored();
        return new RunRow(s.runId(), s.capBytes(), s.candidate(), m.run().budget(), s.seed(), s.vocabSize(), m.run().candidate().headMode(),
                m.run().candidate().dModel(), s.input().nonVocabParameters(), s.input().vocabParameters(), s.input().tokensPerByte(),
                s.input().trainingTokens(), m.row().artifactBytes(), s.bpb(), law.law().predict(s.input()), m.row().tailMoveBpb(), m.row().stillLearning());
    }
}
