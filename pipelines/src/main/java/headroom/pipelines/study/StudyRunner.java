package headroom.pipelines.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import headroom.scoring.predict.ScoredRun;
import headroom.scoring.predict.VocabLaw;
import headroom.pipelines.conf.ConfException;
import headroom.pipelines.predict.CandidateLaw;
import headroom.pipelines.predict.ScoredRuns;
import headroom.pipelines.prep.PrepStage;
import headroom.pipelines.run.Manifest;
import headroom.pipelines.run.RunLayout;
import headroom.pipelines.run.StageRecord;
import headroom.pipelines.run.StageRunner;
import headroom.scoring.ScoreRows.LeaderboardRow;
import headroom.pipelines.score.ScoreConf;
import headroom.pipelines.score.StudyScorer;
import headroom.pipelines.spark.RecordTable;
import headroom.pipelines.sweep.RecipeConf;
import headroom.pipelines.sweep.BudgetTables;
import headroom.pipelines.sweep.SweepConf;
import headroom.pipelines.sweep.SweepRows.VocabMetrics;
import headroom.pipelines.sweep.SweepStage;
import headroom.pipelines.tokenize.TokenizeStage;
import headroom.pipelines.train.TrainConf;
import headroom.pipelines.train.TrainStage;
import headroom.model.BudgetFit;
import headroom.core.TensorClass;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code headroom study}: one prep and one sweep, then the design's runs (each trained and scored as its
 * own manifest stages, so a killed study resumes without re-training what finished), then the law fitted
 * to them, validated by leaving one cap out and carried to the target cap ({@link StudyFit}). Under
 * {@code headroom.train.parallelism != 1} the pending trainings run first as one Spark job, a task per run
 * ({@link TrainStage#trainStudyRuns}); under {@code headroom.score.parallelism != 1} the scores then run as one
 * job too ({@link StudyScorer#scoreOnExecutors}). Writes under {@link RunLayout#study()}: each run's model and page
 * as the train stage writes them, its artifact and score.json (its leaderboard row), the fitted law
 * (sweep.predictor.law reads it), the fit's tables runs, folds, held_out and target; and the page report/study.html
 * (curves, validation, the prediction at the target cap).
 */
public final class StudyRunner {

    private static final Logger LOG = LoggerFactory.getLogger(StudyRunner.class);

    private StudyRunner() {
    }

    public static Path run(SparkSession spark, Config config, Path runDir, boolean force) throws Exception {
        StudyConf study = StudyConf.from(config);
        TrainConf train = TrainConf.from(config);
        StageRunner runner = new StageRunner(runDir, force);
        runner.start(PrepStage.of(spark, config));
        runner.start(SweepStage.of(spark, config));

        RunLayout layout = RunLayout.of(runner.runDir());
        List<VocabMetrics> metrics = RecordTable.readCsv(RunLayout.csv(layout.vocabMetrics()), VocabMetrics.class);
        Map<TensorClass, Double> bpp = sweepBytesPerParameter(layout.sweepSummary());
        SweepConf.Budget budget = SweepConf.from(config).budget();
        BudgetFit.Recipe recipe = RecipeConf.from(config);
        SweepConf sweepConf = SweepConf.from(config);
        BudgetTables.Inputs sizing = new BudgetTables.Inputs(budget, sweepConf.sizingPlan().name(), bpp, recipe, sweepConf.context());
        List<StudyDesign.Run> runs = StudyDesign.runs(study, metrics, sizing);
        if (runs.size() < VocabLaw.PARAMETERS) {
            throw new ConfException("the study design has " + runs.size() + " runs (caps x vocab-sizes x head-modes x seeds of "
                    + StudyConf.SECTION + "), fewer than the law's " + VocabLaw.PARAMETERS + " parameters: add caps, vocabularies or seeds");
        }
        // the budget buys each vocabulary its own tokens (bytes x tokens per byte): the mean sizes the ETA and the target
        double plannedTokens = runs.stream().mapToDouble(r -> CandidateLaw.plannedTrainingTokens(train, r.candidate(), recipe)).average().orElse(0);
        LOG.info("study: {} runs = {} caps x {} vocabularies x {} head modes x {} seeds, {} training tokens each on average", runs.size(),
                study.caps().size(), study.vocabSizes().size(), study.headModes().size(), study.seeds().size(), (long) plannedTokens);

        // the design's vocabularies only; the run conf's candidate list is not the study's
        Config tokenizeConfig = config.withValue("headroom.tokenize.vocab-sizes", ConfigValueFactory.fromIterable(study.vocabSizes()))
                .withValue("headroom.train.candidates", ConfigValueFactory.fromIterable(List.of()));
        String tokenizeFingerprint = runner.start(TokenizeStage.of(spark, tokenizeConfig)).get(0).record().fingerprint();

        Manifest manifest = runner.manifest();
        String corpus = succeeded(manifest, PrepStage.NAME);
        String tokenizer = succeeded(manifest, SweepStage.NAME);
        StudyScorer scorer = new StudyScorer(spark, config, runner.runDir(), study.precisionPlan());
        StudyProgress progress = new StudyProgress(runs, recipe.loops(), plannedTokens);
        List<ScoredRun> scored = new ArrayList<>();
        List<StudyFit.Measured> measured = new ArrayList<>();
        List<String> diverged = new ArrayList<>();
        // At train.parallelism = score.parallelism = 1 each run trains and scores in turn below, in the driver. Otherwise
        // every training comes first, then every score, each as one Spark job under its parallelism != 1; the loop then
        // finds them done.
        boolean scoreOnExecutors = ScoreConf.from(config).parallelism() != 1;
        List<TrainStage.StudyRun> trainedFirst = train.parallelism() == 1 && !scoreOnExecutors ? null
                : trainFirst(spark, runner, config, runs, tokenizeFingerprint, train.parallelism() != 1);
        Map<String, StageRunner.Outcome> scoredFirst = scoreOnExecutors ? scoreFirst(spark, runner, scorer, runs, trainedFirst) : Map.of();
        for (int i = 0; i < runs.size(); i++) {
            StudyDesign.Run r = runs.get(i);
            LOG.info(progress.line(i, r.name()));
            long t0 = System.nanoTime();
            TrainStage.StudyRun trained = trainedFirst != null ? trainedFirst.get(i)
                    : TrainStage.trainStudyRun(runner, runConfig(config, r), r.candidate(), r.name(), tokenizeFingerprint);
            if (TrainStage.diverged(trained.outcome())) {
                // a result, not a failure: the run is left out of the fit and named in the report
                LOG.warn("study: {} diverged ({}); it is left out of the fit", r.name(), trained.modelDir());
                diverged.add(r.name());
                progress.finished(i, trained.outcome().skipped(), (System.nanoTime() - t0) / 1e9);
                continue;
            }
            StageRunner.Outcome score = scoredFirst.containsKey(r.name()) ? scoredFirst.get(r.name())
                    : scorer.score(runner, r.name(), trained.modelDir(), r.capBytes(), trained.outcome().record().fingerprint());
            progress.finished(i, trained.outcome().skipped() && score.skipped(), (System.nanoTime() - t0) / 1e9);
            LeaderboardRow row = StudyScorer.readRow(layout.studyScored(r.name()));
            ScoredRun s = ScoredRuns.of(r.name(), corpus, tokenizer, r.capBytes(), r.candidate(), r.seed(), row,
                    ScoredRuns.trainedTokens(trained.modelDir()));
            scored.add(s);
            measured.add(new StudyFit.Measured(r, s, row, score.record().fingerprint()));
        }
        double targetTokens = study.targetTrainingTokens() > 0 ? study.targetTrainingTokens() : plannedTokens;
        runner.run(new StudyFit(spark, config, study, measured, diverged, metrics, sizing, targetTokens));
        Path report = layout.studyReport();
        LOG.info("study: done; law {} | report {}", layout.studyLaw(), report);
        return report;
    }

    /** Every run's training, as one Spark job ({@code onExecutors}) or one after another in the driver. */
    private static List<TrainStage.StudyRun> trainFirst(SparkSession spark, StageRunner runner, Config config, List<StudyDesign.Run> runs,
                                                        String tokenizeFingerprint, boolean onExecutors) {
        if (onExecutors) {
            return TrainStage.trainStudyRuns(spark, runner, runs.stream()
                    .map(r -> new TrainStage.StudyTraining(runConfig(config, r), r.candidate(), r.name())).toList(), tokenizeFingerprint);
        }
        return runs.stream().map(r -> TrainStage.trainStudyRun(runner, runConfig(config, r), r.candidate(), r.name(), tokenizeFingerprint)).toList();
    }

    /** Every trained (not diverged) run's score as one Spark job, by run name. */
    private static Map<String, StageRunner.Outcome> scoreFirst(SparkSession spark, StageRunner runner, StudyScorer scorer, List<StudyDesign.Run> runs,
                                                               List<TrainStage.StudyRun> trained) {
        List<StudyScorer.Pending> pending = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            TrainStage.StudyRun t = trained.get(i);
            if (TrainStage.diverged(t.outcome())) continue;
            pending.add(new StudyScorer.Pending(runs.get(i).name(), t.modelDir(), runs.get(i).capBytes(), t.outcome().record().fingerprint()));
        }
        List<StageRunner.Outcome> outcomes = scorer.scoreOnExecutors(spark, runner, pending);
        Map<String, StageRunner.Outcome> byRun = new HashMap<>();
        for (int i = 0; i < pending.size(); i++) byRun.put(pending.get(i).runName(), outcomes.get(i));
        return byRun;
    }

    /** The run's conf: train.seed is the run's seed. */
    private static Config runConfig(Config config, StudyDesign.Run r) {
        return config.withValue("headroom.train.seed", ConfigValueFactory.fromAnyRef(r.seed()));
    }

    /** The bytes per parameter the sweep sized its candidates with (its summary.json), so the study sizes its own alike. */
    static Map<TensorClass, Double> sweepBytesPerParameter(Path sweepSummary) throws IOException {
        JsonNode node = new ObjectMapper().readTree(sweepSummary.toFile()).path("bytes_per_parameter");
        Map<TensorClass, Double> bpp = new EnumMap<>(TensorClass.class);
        for (TensorClass t : TensorClass.values()) {
            if (!node.path(t.name()).isNumber()) {
                throw new IllegalStateException(sweepSummary + " has no bytes_per_parameter." + t.name() + ": re-run the sweep");
            }
            bpp.put(t, node.path(t.name()).asDouble());
        }
        return bpp;
    }

    private static String succeeded(Manifest manifest, String stage) {
        return manifest.stage(stage).filter(r -> r.status() == StageRecord.Status.SUCCEEDED).map(StageRecord::fingerprint)
                .orElseThrow(() -> new IllegalStateException("the study's " + stage + " stage has not succeeded"));
    }
}
