package headroom.pipelines;

import headroom.pipelines.predict.RankStage;
import headroom.pipelines.run.Stage;
import headroom.pipelines.run.PipelineStage;
import headroom.pipelines.run.RunLayout;
import com.typesafe.config.Config;
import headroom.pipelines.conf.HeadroomConf;
import headroom.pipelines.nightly.NightlyRunner;
import headroom.pipelines.prep.PrepStage;
import headroom.pipelines.run.StageRunner;
import headroom.pipelines.report.ReportIndexStage;
import headroom.pipelines.score.ScoreStage;
import headroom.pipelines.spark.JobScope;
import headroom.pipelines.study.StudyStage;
import headroom.pipelines.sweep.SweepStage;
import headroom.pipelines.tokenize.TokenizeStage;
import headroom.pipelines.train.TrainStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * The public API of Headroom's stages: what the CLI, the Zeppelin notes and the tests call.
 * Each method runs one stage into a run directory (skipping it when it is up to date) and
 * returns its outcome; the results are then read back as Datasets. Each starts its stage the same way
 * ({@link #start}): in a {@link JobScope}, where the caller's Spark job group is kept and restored and cancelling
 * it stops the stage, the stage is planned (its conf and inputs checked) before any Spark job, then run.
 */
public final class Headroom {

    private Headroom() {
    }

    /** The conf: reference.conf under the given file (may be null) and {@code key=value} overrides. */
    public static Config conf(Path confFile, String... overrides) {
        return HeadroomConf.load(confFile, List.of(overrides));
    }

    /** prep: corpus files to {@code corpus/} (train/val Parquet, quarantine, stats). */
    public static StageRunner.Outcome prep(SparkSession spark, Config config, Path runDir, boolean force) {
        return start(spark, runDir, force, PrepStage.of(spark, config)).get(0);
    }

    /**
     * sweep: one BPE run on the train split -> every vocabulary size, measured and priced, in {@code sweep/}; then
     * its candidates ranked by predicted bits per byte ({@code sweep/predictions}, the rank stage). Returns the sweep's outcome.
     */
    public static StageRunner.Outcome sweep(SparkSession spark, Config config, Path runDir, boolean force) {
        RankStage.checkConf(config); // rank's conf too, before the sweep's jobs: a bad law would fail only after them
        StageRunner.Outcome sweep = start(spark, runDir, force, SweepStage.of(spark, config)).get(0);
        start(spark, runDir, force, RankStage.of(spark, config));
        return sweep;
    }

    /** The sweep's table per vocabulary size ({@code metrics}), or {@code budget}, {@code candidates}, {@code references}, {@code predictions}. */
    public static Dataset<Row> sweepTable(SparkSession spark, Path runDir, String table) {
        return spark.read().parquet(RunLayout.parquet(new RunLayout(runDir).sweepTable(table)).toString());
    }

    /** tokenize: corpus train/val -> Arrow token shards for the candidates' vocabulary sizes, in {@code shards/v{V}/}. */
    public static StageRunner.Outcome tokenize(SparkSession spark, Config config, Path runDir, boolean force) {
        return start(spark, runDir, force, TokenizeStage.of(spark, config)).get(0);
    }

    /**
     * train: each of {@code headroom.train.candidates} (or only {@code onlyCandidate}) into {@code models/<candidate>/},
     * resuming from its checkpoint when a previous attempt was stopped.
     */
    public static List<StageRunner.Outcome> train(SparkSession spark, Config config, Path runDir, boolean force,
                                                  Optional<String> onlyCandidate, boolean resume) {
        return start(spark, runDir, force, TrainStage.all(spark, config, onlyCandidate, resume));
    }

    /** score: quantize, pack, compress, read back and evaluate every trained model -> {@code artifacts/}, score and hypothesis reports. */
    public static StageRunner.Outcome score(SparkSession spark, Config config, Path runDir, boolean force) {
        return start(spark, runDir, force, ScoreStage.of(spark, config)).get(0);
    }

    /**
     * How every stage starts: in a {@link JobScope} named after it, planned first (its conf and inputs checked before any
     * Spark job, the cancel watcher's included), then run by a {@link StageRunner}. Work that is long and in the driver
     * (training, scoring) is watched, so that cancelling the caller's job group stops it; a stage that runs as Spark jobs
     * (training and scoring at a parallelism != 1 too) is in the group itself, where the watcher's task would only hold a slot.
     */
    private static <U extends Stage> List<StageRunner.Outcome> start(SparkSession spark, Path runDir, boolean force, PipelineStage<U> stage) {
        return JobScope.run(spark, runDir, stage.name(), () -> {
            StageRunner runner = new StageRunner(runDir, force);
            List<U> units = stage.plan(runner.layout(), force);
            Callable<List<StageRunner.Outcome>> work = () -> stage.run(runner, units);
            return stage.inDriver() ? JobScope.watchForCancel(work) : work.call();
        });
    }

    /** tokenize, train (every candidate) and score: what follows the sweep. */
    public static void trainAndScore(SparkSession spark, Config config, Path runDir, boolean force) {
        tokenize(spark, config, runDir, force);
        train(spark, config, runDir, force, Optional.empty(), false);
        score(spark, config, runDir, force);
    }

    /**
     * The whole pipeline: prep, sweep, tokenize, train, score, then {@code report/index.html}. Stages whose
     * inputs, conf and code are unchanged are skipped, so a second run takes seconds and a changed key
     * re-runs only what depends on it.
     */
    public static Path run(SparkSession spark, Config config, Path runDir, boolean force) {
        prep(spark, config, runDir, force);
        sweep(spark, config, runDir, force);
        trainAndScore(spark, config, runDir, force);
        start(spark, runDir, force, ReportIndexStage.of());
        return new RunLayout(runDir).indexReport();
    }

    /**
     * study: a design of small runs (caps x vocabularies x head modes x seeds of {@code headroom.study}) on one prep and
     * one sweep, each trained and scored once; then the law of bits per byte fitted to them, validated by leaving one
     * cap out and carried to the target cap. Returns {@code report/study.html}; the law is {@code study/law.json}.
     */
    public static Path study(SparkSession spark, Config config, Path runDir, boolean force) {
        start(spark, runDir, force, StudyStage.of(spark, config));
        return RunLayout.of(runDir).studyReport();
    }

    /** The scored artifacts, best post-roundtrip bits per byte first (over-cap ones flagged, never dropped). */
    public static Dataset<Row> leaderboard(SparkSession spark, Path runDir) {
        return spark.read().parquet(RunLayout.parquet(new RunLayout(runDir).leaderboard()).toString());
    }

    /** Bits per byte of every artifact at each evaluation-time loop count L'. */
    public static Dataset<Row> refinement(SparkSession spark, Path runDir) {
        return spark.read().parquet(RunLayout.parquet(new RunLayout(runDir).refinement()).toString());
    }

    /**
     * One nightly sweep into {@code <headroom.nightly.root>/date=YYYY-MM-DD/}, compared with the previous night
     * ({@code nightly-diff.html} / {@code .json}); {@code flagged()} says whether a metric moved past its threshold.
     */
    public static NightlyRunner.Outcome nightly(SparkSession spark, Config config, java.time.LocalDate date, boolean force)
            throws java.io.IOException {
        return NightlyRunner.run(spark, config, date, force, (runDir, trainAndScore) -> {
            prep(spark, config, runDir, force);
            sweep(spark, config, runDir, force);
            if (trainAndScore) trainAndScore(spark, config, runDir, force);
        });
    }

    /** A split of the prepared corpus ({@code train}, {@code val} or {@code test}). */
    public static Dataset<Row> corpus(SparkSession spark, Path runDir, String split) {
        return spark.read().parquet(new RunLayout(runDir).corpus(split).toString());
    }
}
