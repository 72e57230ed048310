package headroom.pipelines.predict;

import headroom.pipelines.run.PipelineStage;
import com.typesafe.config.Config;
import headroom.scoring.predict.FittedLaw;
import headroom.pipelines.report.HtmlReport;
import headroom.pipelines.conf.ConfException;
import headroom.pipelines.conf.HeadroomConf;
import headroom.pipelines.run.Manifest;
import headroom.pipelines.run.RunLayout;
import headroom.pipelines.run.Stage;
import headroom.pipelines.run.StageContext;
import headroom.pipelines.run.StageRecord;
import headroom.pipelines.run.StageSpec;
import headroom.pipelines.spark.RecordTable;
import headroom.pipelines.sweep.SweepRows.Candidate;
import headroom.pipelines.sweep.SweepRows.CandidatePrediction;
import headroom.pipelines.sweep.SweepStage;
import headroom.pipelines.tokenize.CandidateSelection;
import headroom.pipelines.train.TrainConf;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * rank: every sweep candidate's predicted post-roundtrip bits per byte at the sweep's cap, best first
 * (docs/PREDICTOR.md), for {@code train.candidates = "top:K"}. Its own stage after the sweep, so a new
 * law or training budget re-ranks in a second without re-running the sweep and what follows it.
 * Writes {@link RunLayout#predictions()} (rank, candidate, predicted bpb and its 95% interval, basis) and the same as
 * the page {@code report/sweep-ranking.html}, with the law that ranked. Bits per byte are printed only from a law fitted
 * to this corpus's runs (its corpus is this run's prep fingerprint): the prior, or a law fitted to another corpus, ranks
 * and prints no bits per byte (NaN, basis "prior, not calibrated").
 */
public final class RankStage implements Stage {

    public static final String NAME = "rank";
    private static final Logger LOG = LoggerFactory.getLogger(RankStage.class);

    private final SparkSession spark;
    private final Config config;
    private final PredictorConf predictor;
    private final FittedLaw law;
    private final TrainConf trainConf;
    private final headroom.model.BudgetFit.Recipe recipe;
    private final boolean calibrated;
    private final Map<String, String> inputs = new LinkedHashMap<>();

    /** The stage: planning checks the predictor's conf, the sweep's record and the law file. */
    public static PipelineStage<RankStage> of(SparkSession spark, Config config) {
        return PipelineStage.of(NAME, run -> new RankStage(spark, config, run.root()));
    }

    /**
     * Rank's parameters alone (the predictor's law, the train and recipe sections), reading no run directory: the sweep's
     * caller checks them before the sweep's jobs, since rank runs after those and a bad law would otherwise fail only then.
     */
    public static void checkConf(Config config) {
        PredictorConf.from(config).law();
        TrainConf.from(config);
        headroom.pipelines.sweep.RecipeConf.from(config);
    }

    private RankStage(SparkSession spark, Config config, Path runDir) {
        this.spark = spark;
        this.config = config;
        this.predictor = PredictorConf.from(config);
        this.law = predictor.law();
        this.trainConf = TrainConf.from(config);
        this.recipe = headroom.pipelines.sweep.RecipeConf.from(config);
        String corpus = Manifest.load(runDir).stage(headroom.pipelines.prep.PrepStage.NAME).filter(r -> r.status() == StageRecord.Status.SUCCEEDED)
                .map(StageRecord::fingerprint).orElse("");
        this.calibrated = calibrated(law, corpus);
        inputs.put(SweepStage.NAME, Manifest.load(runDir).stage(SweepStage.NAME).filter(r -> r.status() == StageRecord.Status.SUCCEEDED)
                .map(StageRecord::fingerprint)
                .orElseThrow(() -> new ConfException("ranking needs the sweep's candidates in " + runDir + ": run 'headroom sweep' first")));
        if (!predictor.usesPrior()) {
            try {
                inputs.put("law", Files.readString(Path.of(predictor.lawFile())));
            } catch (IOException e) {
                throw new ConfException("conf key " + PredictorConf.SECTION + ".law: cannot read " + predictor.lawFile() + " (" + e.getMessage() + ")");
            }
        }
    }

    @Override
    public StageSpec spec() {
        return new StageSpec(NAME, headroom.pipelines.run.CodeFingerprint.of(RankStage.class), HeadroomConf.render(config, PredictorConf.SECTION) + "\ntrain=" + HeadroomConf.render(config, TrainConf.SECTION) + "\nmodel=" + HeadroomConf.render(config, headroom.pipelines.sweep.RecipeConf.SECTION),
                inputs, List.of(RunLayout.parquet(RunLayout.RELATIVE.predictions()).toString(), RunLayout.csv(RunLayout.RELATIVE.predictions()).toString(),
                RunLayout.RELATIVE.rankingReport().toString()));
    }

    @Override
    public Map<String, Object> execute(StageContext context) throws Exception {
        List<Candidate> candidates = CandidateSelection.read(context.finished());
        List<CandidatePrediction> ranked = CandidateLaw.rank(candidates, law, c -> CandidateLaw.plannedTrainingTokens(trainConf, c, recipe), calibrated);
        Path table = context.staged().predictions();
        Files.createDirectories(table.getParent());
        RecordTable.write(spark, ranked, CandidatePrediction.class, table);
        String basis = basis();
        Path report = context.staged().rankingReport();
        Files.createDirectories(report.getParent());
        page(ranked, basis).write(report);
        LOG.info("rank: {} candidates ranked {}; {}", ranked.size(), basis, ranked.isEmpty() ? "none" : calibrated
                ? String.format(Locale.ROOT, "best predicted %s at %.4f bpb", ranked.get(0).candidate(), ranked.get(0).predictedBpb())
                : "best ranked " + ranked.get(0).candidate() + " (" + CandidateLaw.NOT_CALIBRATED + ": no bits per byte forecast)");
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("candidates", ranked.size());
        counts.put("basis", law.basis());
        counts.put("calibrated", calibrated);
        counts.put("predictor", basis);
        counts.put("budget", trainConf.protocolLabel());
        if (!ranked.isEmpty()) counts.put("best", ranked.get(0).candidate());
        return counts;
    }

    /** Whether the law may forecast bits per byte on this corpus: a fit to runs of this very corpus (prep fingerprint). */
    static boolean calibrated(FittedLaw law, String corpus) {
        return !law.isPrior() && !corpus.isEmpty() && law.corpus().equals(corpus);
    }

    /** How the candidates are ranked, in words for the log, the manifest and the report. */
    private String basis() {
        if (law.isPrior()) {
            return "on the prior (Tao et al. 2024 approach 3, published coefficients; no fitted law: " + PredictorConf.SECTION + ".law is empty; "
                    + CandidateLaw.NOT_CALIBRATED + ")";
        }
        return String.format(Locale.ROOT, "on the law fitted to %d runs (%d candidates) in %s%s", law.runs(), law.candidates(), predictor.lawFile(),
                calibrated ? "" : " on another corpus (" + law.corpus() + "; " + CandidateLaw.NOT_CALIBRATED + " here)");
    }

    private HtmlReport page(List<CandidatePrediction> ranked, String basis) {
        HtmlReport page = new HtmlReport("Headroom: candidates ranked by predicted bits per byte");
        page.paragraph(String.format(Locale.ROOT, "Ranked %s, each candidate at the training tokens the train conf's budget (%s) buys it. train.candidates = \"top:K\" "
                        + "trains the K best. The law and its units: docs/PREDICTOR.md. %s", basis, trainConf.protocolLabel(),
                calibrated ? "Intervals: 95% bootstrap over the fitted runs."
                        : "This law is not calibrated on this corpus's runs: it ranks, and forecasts no bits per byte (fit one with 'headroom study')."));
        List<List<String>> rows = new ArrayList<>();
        for (CandidatePrediction p : ranked) {
            rows.add(List.of(Integer.toString(p.rank()), p.candidate(), Integer.toString(p.vocabSize()), p.headMode(), Integer.toString(p.dModel()),
                    calibrated ? f4(p.predictedBpb()) : CandidateLaw.NOT_CALIBRATED,
                    Double.isNaN(p.predictedBpbLow()) ? "-" : f4(p.predictedBpbLow()) + " - " + f4(p.predictedBpbHigh())));
        }
        page.table(List.of("rank", "candidate", "V", "head", "d", "predicted bpb", "95% interval"), rows);
        return page;
    }

    private static String f4(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
