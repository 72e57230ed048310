package headroom.pipelines.study;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.typesafe.config.Config;
import headroom.scoring.predict.FittedLaw;
import headroom.scoring.predict.LawJson;
import headroom.scoring.predict.LawTerms;
import headroom.scoring.predict.LeaveOneCapOut;
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
 * The study's last stage ({@code study/fit}): the law fitted to every scored run with its bootstrap,
 * leave-one-cap-out validation, and the candidates of the target cap ranked by the law, next to Tao et
 * al.'s optimal vocabulary for the best one's non-embedding size. Re-runs only when a run's score changed.
 */
final class StudyFit implements Stage {

    static final String NAME = "study/fit";
    private static final Logger LOG = LoggerFactory.getLogger(StudyFit.class);

    /** One scored run of the design: where it came from, what the law sees of it, its leaderboard row and its score's fingerprint. */
    record Measured(StudyDesign.Run run, ScoredRun scored, LeaderboardRow row, String scoreFingerprint) {
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
    private final double targetTokens;

    StudyFit(SparkSession spark, Config config, StudyConf study, List<Measured> measured, List<String> diverged, List<VocabMetrics> metrics,
             BudgetTables.Inputs sizing, double targetTokens) {
        this.spark = spark;
        this.config = config;
        this.study = study;
        this.measured = List.copyOf(measured);
        this.diverged = List.copyOf(diverged);
        this.metrics = metrics;
        this.sizing = sizing;
        this.targetTokens = targetTokens;
    }

    @Override
    public StageSpec spec() {
        Map<String, String> inputs = new LinkedHashMap<>();
        measured.forEach(m -> inputs.put(m.run().name(), m.scoreFingerprint()));
        return new StageSpec(NAME, headroom.pipelines.run.CodeFingerprint.of(StudyFit.class), HeadroomConf.render(config, StudyConf.SECTION) + "\ntarget-training-tokens=" + targetTokens
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
        List<LeaveOneCapOut.Fold> folds = LeaveOneCapOut.run(runs, study.huberDelta());
        Target target = target(law);
        double minEffect = HypothesisConf.from(config).minEffectBpb();
        List<LawTerms.Effect> terms = LawTerms.effects(law.law(), runs.stream().map(ScoredRun::input).toList(),
                CandidateLaw.input(target.best(), target.trainingTokens()));
        List<String> flat = terms.stream().filter(t -> t.flat(minEffect)).map(LawTerms.Effect::term).toList();

        Path tables = Files.createDirectories(staged.studyFit());
        List<RunRow> runRows = measured.stream().map(m -> runRow(m, law)).toList();
        RecordTable.write(spark, runRows, RunRow.class, tables.resolve("runs"));
        RecordTable.write(spark, folds.stream().map(f -> new FoldRow(f.heldOutCap(), f.points().size(), f.trainingRuns(), f.spearman(),
                f.meanAbsoluteError(), f.skipped())).toList(), FoldRow.class, tables.resolve("folds"));
        RecordTable.write(spark, folds.stream().flatMap(f -> f.points().stream().map(p -> new HeldOutRow(f.heldOutCap(), p.candidate(),
                p.vocabSize(), p.seeds(), p.measured(), p.predicted()))).toList(), HeldOutRow.class, tables.resolve("held_out"));
        RecordTable.write(spark, target.ranked(), CandidatePrediction.class, tables.resolve("target"));

        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("runs", law.runs());
        summary.put("candidates", law.candidates());
        summary.put("diverged_runs", diverged);
        summary.put("rmse", law.rmse());
        summary.put("terms", terms.stream().map(t -> Map.of("term", t.term(), "across_runs_bpb", t.acrossRunsBpb(),
                "to_target_bpb", t.toTargetBpb())).toList());
        summary.put("flat_terms", flat);
        summary.put("law", law.law().toString());
        summary.put("held_out_spearman", folds.stream().map(f -> Map.of("cap", f.heldOutCap(), "spearman", String.valueOf(f.spearman()),
                "mae", String.valueOf(f.meanAbsoluteError()))).toList());
        summary.put("target_cap_bytes", study.targetCapBytes());
        summary.put("target_best", target.first().candidate());
        summary.put("target_best_bpb", target.first().predictedBpb());
        summary.put("target_best_interval", List.of(target.first().predictedBpbLow(), target.first().predictedBpbHigh()));
        summary.put("tao_optimal_vocab_at_these_flops", target.taoVocabAtTheseFlops());
        summary.put("tao_optimal_vocab_compute_optimal", target.taoVocabComputeOptimal());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(tables.resolve("summary.json").toFile(), summary);

        Files.createDirectories(staged.reports());
        StudyReport.write(staged.studyReport(), study, law, terms, minEffect, runRows, diverged, folds, target, this::curve);
        for (LeaveOneCapOut.Fold f : folds) {
            LOG.info(String.format(Locale.ROOT, "study: held-out cap %,d | %d candidates | Spearman %.3f | MAE %.4f bpb%s", f.heldOutCap(),
                    f.points().size(), f.spearman(), f.meanAbsoluteError(), f.skipped().isEmpty() ? "" : " | " + f.skipped()));
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
        List<Candidate> candidates = StudyDesign.candidatesAt(study.targetCapBytes(), study.headModes(), metrics, sizing);
        if (candidates.isEmpty()) {
            throw new IllegalStateException(String.format(Locale.ROOT, "no candidate fills the target cap %,d bytes (headroom.study.target-cap-bytes)",
                    study.targetCapBytes()));
        }
        List<CandidatePrediction> ranked = CandidateLaw.rank(candidates, law, targetTokens);
        Candidate best = candidates.stream().filter(c -> c.name().equals(ranked.get(0).candidate())).findFirst().orElseThrow();
        double nonVocab = best.parameters() - best.headParameters();
        double flops = 6 * (double) best.parameters() * targetTokens;
        return new Target(ranked, best, targetTokens, TaoOptimalVocab.optimalVocab(nonVocab, best.dModel(), flops),
                TaoOptimalVocab.optimalVocab(nonVocab, best.dModel(), TaoOptimalVocab.computeOptimalFlops(nonVocab)));
    }

    /** The law's bpb for vocabulary V at each cap of the curve: the candidate the budget model sizes there. */
    private double[][] curve(int vocabSize, FittedLaw law, double[] caps, double tokens) {
        List<VocabMetrics> one = metrics.stream().filter(m -> m.vocabSize() == vocabSize).toList();
        List<double[]> points = new ArrayList<>();
        for (double cap : caps) {
            List<Candidate> c = StudyDesign.candidatesAt((long) cap, List.of(study.headModes().get(0)), one, sizing);
            if (!c.isEmpty()) points.add(new double[]{cap, law.predict(CandidateLaw.input(c.get(0), tokens)).bpb()});
        }
        return points.toArray(double[][]::new);
    }

    private static RunRow runRow(Measured m, FittedLaw law) {
        ScoredRun s = m.scored();
        return new RunRow(s.runId(), s.capBytes(), s.candidate(), s.seed(), s.vocabSize(), m.run().candidate().headMode(),
                m.run().candidate().dModel(), s.input().nonVocabParameters(), s.input().vocabParameters(), s.input().tokensPerByte(),
                s.input().trainingTokens(), m.row().artifactBytes(), s.bpb(), law.law().predict(s.input()));
    }
}
