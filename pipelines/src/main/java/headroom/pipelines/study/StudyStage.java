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
import headroom.pipelines.run.PipelineStage;
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
 * {@code headroom study} as one stage: one prep and one sweep, then the design's runs (each trained and scored as its
 * own manifest stages, so a killed study resumes without re-training what finished), then the law fitted to them,
 * validated by leaving one cap out and carried to the target cap ({@link StudyFit}). Its plan checks what can be
 * checked before anything exists (the study, sweep, recipe, train and score sections, the design's size, prep's conf
 * and input files) and gives prep's unit; each later stage is planned when its inputs exist, since the sweep's
 * measurements size the design. Under {@code headroom.train.parallelism != 1} the pending trainings run first as one
 * Spark job, a task per run ({@link TrainStage#studyRuns}); under {@code headroom.score.parallelism != 1} the scores then
 * run as one job too ({@link StudyScorer#scores}). Writes under {@link RunLayout#study()}: each run's model and page as
 * the train stage writes them, its artifact and score.json (its leaderboard row), the fitted law (sweep.predictor.law
 * reads it), the fit's tables runs, folds, held_out and target; and the page report/study.html (curves, validation, the
 * prediction at the target cap).
 */
public final class StudyStage implements PipelineStage<PrepStage> {

    public static final String NAME = "study";
    private static final Logger LOG = LoggerFactory.getLogger(StudyStage.class);

    private final SparkSession spark;
    private final Config config;
    private final PipelineStage<PrepStage> prep;

    /** The stage: its parameters only; {@link #plan} checks them. */
    public static StudyStage of(SparkSession spark, Config config) {
        return new StudyStage(spark, config);
    }

    private StudyStage(SparkSession spark, Config config) {
        this.spark = spark;
        this.config = config;
        this.prep = PrepStage.of(spark, config);
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The sections the study reads and the design's size, then prep's plan (its conf and input files): prep's unit. */
    @Override
    public List<PrepStage> plan(RunLayout run, boolean force) throws Exception {
        StudyConf study = StudyConf.from(config);
        if (study.runs() < VocabLaw.PARAMETERS) {
            throw new ConfException("the study design has " + study.runs() + " runs (caps x budgets x vocab-sizes x head-modes x seeds of "
                    + StudyConf.SECTION + "), fewer than the law's " + VocabLaw.PARAMETERS + " parameters: add caps, budgets, vocabularies or seeds");
        }
        SweepConf.from(config);
        RecipeConf.from(config);
        if (TrainConf.from(config).budget().protocol() == TrainConf.Protocol.SECONDS) {
            throw ConfException.badValue(TrainConf.SECTION + ".budget.protocol", "seconds", "the study's train-budgets need bytes, tokens or flops: "
                    + "the law is fitted to the tokens each run trained on, and a time budget buys different tokens on every machine");
        }
        ScoreConf.from(config);
        return prep.plan(run, force);
    }

    /**
     * Its runs train and score in the driver unless a parallelism != 1 makes them Spark jobs, whose tasks are in the
     * caller's job group themselves (a watcher would only hold a slot).
     */
    @Override
    public boolean inDriver() {
        return TrainConf.from(config).parallelism() == 1 && ScoreConf.from(config).parallelism() == 1;
    }

    /** Prep, sweep, tokenize, every run's training and score, the fit: their outcomes, in that order. */
    @Override
    public List<StageRunner.Outcome> run(StageRunner runner, List<PrepStage> prepUnits) throws Exception {
        StudyConf study = StudyConf.from(config);
        TrainConf train = TrainConf.from(config);
        List<StageRunner.Outcome> outcomes = new ArrayList<>(prep.run(runner, prepUnits));
        outcomes.addAll(runner.start(SweepStage.of(spark, config)));

        RunLayout layout = runner.layout();
        List<VocabMetrics> metrics = RecordTable.readCsv(RunLayout.csv(layout.vocabMetrics()), VocabMetrics.class);
        Map<TensorClass, Double> bpp = sweepBytesPerParameter(layout.sweepSummary());
        SweepConf.Budget budget = SweepConf.from(config).budget();
        BudgetFit.Recipe recipe = RecipeConf.from(config);
        SweepConf sweepConf = SweepConf.from(config);
        BudgetTables.Inputs sizing = new BudgetTables.Inputs(budget, sweepConf.sizingPlan().name(), bpp, recipe, sweepConf.context());
        List<StudyDesign.Run> runs = StudyDesign.runs(study, metrics, sizing);
        // each run's budget buys its vocabulary its own tokens (bytes x tokens per byte under bytes): the mean sizes the ETA
        java.util.function.ToDoubleFunction<StudyDesign.Run> runTokens = r -> CandidateLaw.plannedTrainingTokens(TrainConf.from(runConfig(config, r)),
                r.candidate(), recipe);
        double plannedTokens = runs.stream().mapToDouble(runTokens).average().orElse(0);
        LOG.info("study: {} runs = {} caps x {} vocabularies x {} head modes x {} seeds, budgets {} ({} at caps {}), {} training tokens each on average",
                runs.size(), study.caps().size(), study.vocabSizes().size(), study.headModes().size(), study.seeds().size(), study.trainBudgets(),
                train.budget().protocol().name().toLowerCase(java.util.Locale.ROOT), study.moreBudgetsAtCaps(), (long) plannedTokens);

        // the design's vocabularies only; the run conf's candidate list is not the study's
        Config tokenizeConfig = config.withValue("headroom.tokenize.vocab-sizes", ConfigValueFactory.fromIterable(study.vocabSizes()))
                .withValue("headroom.train.candidates", ConfigValueFactory.fromIterable(List.of()));
        StageRunner.Outcome tokenize = runner.start(TokenizeStage.of(spark, tokenizeConfig)).get(0);
        outcomes.add(tokenize);
        String tokenizeFingerprint = tokenize.record().fingerprint();

        Manifest manifest = runner.manifest();
        String corpus = succeeded(manifest, PrepStage.NAME);
        String tokenizer = succeeded(manifest, SweepStage.NAME);
        StudyScorer scorer = StudyScorer.readingVal(spark, config, runner.runDir(), study.precisionPlan());
        StudyProgress progress = new StudyProgress(runs, recipe.loops(), runTokens);
        List<StudyFit.Measured> measured = new ArrayList<>();
        List<String> diverged = new ArrayList<>();
        // At train.parallelism = score.parallelism = 1 each run trains and scores in turn below, in the driver. Otherwise
        // every training comes first, then every score, each as one Spark job under its parallelism != 1; the loop then
        // finds them done.
        boolean scoreOnExecutors = ScoreConf.from(config).parallelism() != 1;
        List<StageRunner.Outcome> trainedFirst = train.parallelism() == 1 && !scoreOnExecutors ? null
                : runner.start(trainings(runs, tokenizeFingerprint));
        Map<String, StageRunner.Outcome> scoredFirst = scoreOnExecutors ? scoreFirst(runner, scorer, runs, trainedFirst) : Map.of();
        for (int i = 0; i < runs.size(); i++) {
            StudyDesign.Run r = runs.get(i);
            LOG.info(progress.line(i, r.name()));
            long t0 = System.nanoTime();
            StageRunner.Outcome trained = trainedFirst != null ? trainedFirst.get(i)
                    : runner.start(trainings(List.of(r), tokenizeFingerprint)).get(0);
            outcomes.add(trained);
            Path modelDir = layout.studyModel(r.name());
            if (TrainStage.diverged(trained)) {
                // a result, not a failure: the run is left out of the fit and named in the report
                LOG.warn("study: {} diverged ({}); it is left out of the fit", r.name(), modelDir);
                diverged.add(r.name());
                progress.finished(i, trained.skipped(), (System.nanoTime() - t0) / 1e9);
                continue;
            }
            StageRunner.Outcome score = scoredFirst.containsKey(r.name()) ? scoredFirst.get(r.name())
                    : runner.start(scorer.scores(spark, List.of(pending(layout, r, trained)))).get(0);
            outcomes.add(score);
            progress.finished(i, trained.skipped() && score.skipped(), (System.nanoTime() - t0) / 1e9);
            LeaderboardRow row = StudyScorer.readRow(layout.studyScored(r.name()));
            ScoredRun s = ScoredRuns.of(r.name(), corpus, tokenizer, r.capBytes(), r.candidate(), r.label(), r.seed(), row,
                    ScoredRuns.trainedTokens(modelDir));
            measured.add(new StudyFit.Measured(r, s, row, score.record().fingerprint()));
        }
        // the carry: at the target cap each vocabulary trains on what the train conf's protocol buys it
        StudyFit.Budget target = budget(study.targetBudget() > 0 ? withBudget(config, study.targetBudget()) : config, recipe);
        StudyFit.Budget everyCap = budget(withBudget(config, study.trainBudgets().get(0)), recipe);
        outcomes.addAll(runner.start(PipelineStage.of(StudyFit.NAME,
                run -> new StudyFit(spark, config, study, measured, diverged, metrics, sizing, everyCap, target))));
        LOG.info("study: done; law {} | report {}", layout.studyLaw(), layout.studyReport());
        return outcomes;
    }

    /** The trainings of {@code runs}: one Spark job under train.parallelism != 1, else one after another in the driver. */
    private PipelineStage<TrainStage> trainings(List<StudyDesign.Run> runs, String tokenizeFingerprint) {
        return TrainStage.studyRuns(spark, config, runs.stream()
                .map(r -> new TrainStage.StudyTraining(runConfig(config, r), r.candidate(), r.name())).toList(), tokenizeFingerprint);
    }

    /** A trained run's score to do: its published model, its cap and the training's fingerprint. */
    private static StudyScorer.Pending pending(RunLayout layout, StudyDesign.Run r, StageRunner.Outcome trained) {
        return new StudyScorer.Pending(r.name(), layout.studyModel(r.name()), r.capBytes(), trained.record().fingerprint());
    }

    /** Every trained (not diverged) run's score as one Spark job, by run name. */
    private Map<String, StageRunner.Outcome> scoreFirst(StageRunner runner, StudyScorer scorer, List<StudyDesign.Run> runs,
                                                        List<StageRunner.Outcome> trained) throws Exception {
        List<StudyScorer.Pending> pending = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            if (!TrainStage.diverged(trained.get(i))) pending.add(pending(runner.layout(), runs.get(i), trained.get(i)));
        }
        List<StageRunner.Outcome> outcomes = runner.start(scorer.scores(spark, pending));
        Map<String, StageRunner.Outcome> byRun = new HashMap<>();
        for (int i = 0; i < pending.size(); i++) byRun.put(pending.get(i).runName(), outcomes.get(i));
        return byRun;
    }

    /** The run's conf: train.seed is the run's seed, and the protocol's budget amount the run's budget. */
    private static Config runConfig(Config config, StudyDesign.Run r) {
        return withBudget(config, r.budget()).withValue("headroom.train.seed", ConfigValueFactory.fromAnyRef(r.seed()));
    }

    /** The train conf's budget in words and the tokens it buys each candidate. */
    private static StudyFit.Budget budget(Config config, BudgetFit.Recipe recipe) {
        TrainConf train = TrainConf.from(config);
        return new StudyFit.Budget(train.protocolLabel(), c -> CandidateLaw.plannedTrainingTokens(train, c, recipe));
    }

    /** The conf with {@code amount} as the budget of train.budget.protocol (bytes, tokens or flops). */
    private static Config withBudget(Config config, long amount) {
        String unit = TrainConf.from(config).budget().protocol().name().toLowerCase(java.util.Locale.ROOT);
        return config.withValue(TrainConf.SECTION + ".budget." + unit, ConfigValueFactory.fromAnyRef(amount));
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
