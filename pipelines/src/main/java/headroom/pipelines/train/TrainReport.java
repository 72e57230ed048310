package headroom.pipelines.train;

import headroom.model.train.TrainLog;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import headroom.pipelines.report.ChartSpec;
import headroom.pipelines.report.HtmlReport;
import headroom.pipelines.report.Series;
import headroom.pipelines.report.SvgChart;
import headroom.pipelines.train.TrainLogRows.Row;
import headroom.model.ModelConfig;
import headroom.model.ModelFlops;
import headroom.model.ParameterCount;
import headroom.core.TensorClass;
import headroom.model.TrainConfig;
import headroom.model.nn.ModelFiles;
import headroom.model.train.Convergence;
import headroom.model.train.LrPilot;
import headroom.model.train.PeakFlops;
import headroom.model.train.TrainResult;
import headroom.model.train.TrainingDivergedException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What a trained candidate leaves besides its weights: {@code result.json}, {@code loss.svg} and its report page. */
public final class TrainReport {

    /** What a diverged candidate leaves in its model folder instead of weights. */
    static final String DIVERGED_FILE = "diverged.json";
    /** result.json's keys for the val bpb move over the convergence tail and whether it exceeds the threshold. */
    public static final String TAIL_MOVE_KEY = "tail_move_bpb";
    public static final String STILL_LEARNING_KEY = "still_learning";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private TrainReport() {
    }

    /**
     * Writes {@code result.json} and {@code loss.svg} beside the copied {@code train_log.csv} in
     * {@code modelDir}, and the page; returns the result.json content.
     */
    static Map<String, Object> write(Path modelDir, Path page, String candidate, TrainResult result, ModelConfig model,
                                     TrainConfig train, long resumedFromStep, double peakFlopsPerSecond, double maxTailMoveBpb,
                                     LrPilot.Result pilot, double trainTokensPerByte) throws IOException {
        List<Row> rows = TrainLogRows.read(modelDir.resolve(TrainLog.FILE));
        Map<String, Object> summary = result(candidate, result, model, train, rows, resumedFromStep, peakFlopsPerSecond);
        Convergence convergence = convergence(rows, train.tailFraction(), maxTailMoveBpb);
        // snake_case like the leaderboard's columns, which carry these two on (score reads them back from here)
        summary.put(TAIL_MOVE_KEY, convergence.tailMoveBpb());
        summary.put(STILL_LEARNING_KEY, convergence.stillLearning());
        summary.put("convergence", convergenceMap(convergence, train.tailFraction(), maxTailMoveBpb));
        // the peak learning rate trained with, and the pilot that chose it (null without one)
        summary.put("lr", train.lr());
        summary.put("lrPilot", pilot);
        summary.put("weights", WeightProfile.of(ModelFiles.readWeights(modelDir)));
        Files.writeString(modelDir.resolve("result.json"), JSON.writeValueAsString(summary), StandardCharsets.UTF_8);
        String svg = lossChart(candidate, rows, train.tokensPerStep(), trainTokensPerByte);
        Files.writeString(modelDir.resolve("loss.svg"), svg, StandardCharsets.UTF_8);
        writePage(page, candidate, svg, result, summary, model);
        return summary;
    }

    /**
     * A diverged run: {@code diverged.json} (step, learning rate, loss, gradient norm, the first
     * parameter with a non-finite gradient, where the last good checkpoint is) and its page.
     */
    static void writeDiverged(Path modelDir, Path page, String candidate, TrainingDivergedException e, Path checkpoints,
                              ModelConfig model, TrainConfig train, double trainTokensPerByte) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("candidate", candidate);
        json.put("message", e.getMessage());
        json.put("step", e.step());
        json.put("learningRate", e.learningRate());
        json.put("loss", Double.toString(e.loss()));
        json.put("gradientNorm", Double.toString(e.gradientNorm()));
        json.put("parameter", e.parameter().orElse(null));
        json.put("lastGoodCheckpointStep", e.lastGoodCheckpointStep().isPresent() ? e.lastGoodCheckpointStep().getAsLong() : null);
        json.put("checkpoints", checkpoints.toString());
        json.put("model", model.toMap());
        json.put("train", train.toMap());
        Files.writeString(modelDir.resolve(DIVERGED_FILE), JSON.writeValueAsString(json), StandardCharsets.UTF_8);
        List<Row> rows = TrainLogRows.read(modelDir.resolve(TrainLog.FILE));
        String svg = lossChart(candidate, rows, train.tokensPerStep(), trainTokensPerByte);
        Files.writeString(modelDir.resolve("loss.svg"), svg, StandardCharsets.UTF_8);
        Files.createDirectories(page.getParent());
        HtmlReport html = new HtmlReport("Headroom: training " + candidate + " (diverged)");
        html.paragraph("DIVERGED: " + e.getMessage() + ". Checkpoints: " + checkpoints + ".");
        html.heading("Loss curve up to the divergence");
        html.svg(svg);
        html.write(page);
    }

    /** The run's convergence from its log's evaluations (the trainer evaluates at the tail's start and at the end). */
    static Convergence convergence(List<Row> rows, double tailFraction, double maxTailMoveBpb) {
        List<Row> evaluated = rows.stream().filter(Row::evaluated).toList();
        return Convergence.of(evaluated.stream().mapToLong(Row::step).toArray(), evaluated.stream().mapToDouble(Row::valBpb).toArray(),
                tailFraction, maxTailMoveBpb);
    }

    private static Map<String, Object> convergenceMap(Convergence c, double tailFraction, double maxTailMoveBpb) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tailFraction", tailFraction);
        m.put("maxTailMoveBpb", maxTailMoveBpb);
        m.put("tailStartStep", c.tailStartStep());
        m.put("tailStartValBpb", c.tailStartBpb());
        m.put("endStep", c.endStep());
        m.put("endValBpb", c.endBpb());
        return m;
    }

    /**
     * Train loss and val bits per byte against training tokens seen, both in bits per byte on one axis (LossCurves): the train
     * loss at the train split's tokens per byte.
     */
    private static String lossChart(String candidate, List<Row> rows, long tokensPerStep, double trainTokensPerByte) {
        List<Series> series = new ArrayList<>(LossCurves.train("train loss (bits per byte)", rows, trainTokensPerByte, Row::tokens));
        // An evaluation row's val was measured before that step's update, after step x tokensPerStep tokens.
        series.addAll(LossCurves.val("val bits per byte", rows, r -> (double) r.step() * tokensPerStep));
        return SvgChart.line(ChartSpec.of("Training " + candidate, "training tokens", "bits per byte"), series);
    }

    /**
     * The run's summary: the trainer's result, both configs, parameters by tensor class, throughput and
     * model FLOPs utilization (ModelFlops' 6N + attention per token x median step tokens/s over the peak).
     */
    private static Map<String, Object> result(String candidate, TrainResult result, ModelConfig model, TrainConfig train, List<Row> rows,
                                      long resumedFromStep, double peakFlopsPerSecond) {
        ParameterCount params = ParameterCount.of(model);
        Map<String, Object> parameters = new LinkedHashMap<>();
        for (Map.Entry<TensorClass, Long> e : params.byClass().entrySet()) parameters.put(e.getKey().name(), e.getValue());
        parameters.put("total", params.total());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("candidate", candidate);
        json.put("result", resultMap(result));
        json.put("firstValBpb", rows.stream().filter(Row::evaluated).findFirst().map(Row::valBpb).orElse(Double.NaN));
        double tokensPerSecond = medianTokensPerSecond(rows);
        double flopsPerToken = ModelFlops.trainingPerToken(model, train.seqLen());
        json.put("medianStepTokensPerSecond", tokensPerSecond);
        json.put("flopsPerToken", flopsPerToken);
        json.put("peakFlopsPerSecond", peakFlopsPerSecond);
        json.put("mfu", PeakFlops.utilization(flopsPerToken, tokensPerSecond, peakFlopsPerSecond));
        json.put("resumedFromStep", resumedFromStep);
        json.put("parameters", parameters);
        json.put("model", model.toMap());
        json.put("train", train.toMap());
        return json;
    }

    /** {@code report/train-<candidate>.html}: the curve, the figures and the shapes. */
    private static void writePage(Path file, String candidate, String lossSvg, TrainResult r, Map<String, Object> result, ModelConfig model)
            throws IOException {
        Files.createDirectories(file.getParent());
        HtmlReport page = new HtmlReport("Headroom: training " + candidate);
        page.paragraph(String.format(Locale.ROOT, "%,d steps, %,d training tokens in %.1f s on %s (median %.0f tokens/s per step). "
                        + "Val bits per byte %.4f at step 0, %.4f at the end (best %.4f). Stopped by %s.",
                r.steps(), r.tokens(), r.seconds(), r.device(), (Double) result.get("medianStepTokensPerSecond"),
                (Double) result.get("firstValBpb"), r.finalValBpb(), r.bestValBpb(), r.stopReason()));
        page.paragraph(convergenceSentence(result));
        page.paragraph(lrSentence(result));
        Map<?, ?> weights = (Map<?, ?>) result.get("weights");
        page.paragraph(String.format(Locale.ROOT, "Weights: RMS of the matrices %.5f (weight decay %s); as int8 per row, compressed (%s): %.4f bytes per parameter.",
                (Double) ((Map<?, ?>) weights.get("weightRms")).get("matrices"), ((Map<?, ?>) result.get("train")).get("weightDecay"),
                weights.get("int8Codec"), (Double) weights.get("int8BytesPerParam")));
        page.paragraph(String.format(Locale.ROOT, "Model FLOPs utilization %.3f: %.2f MFLOP per token (6N + attention, N = %,d matrix "
                        + "parameters a token meets, loops counted) x %.0f tokens/s over a peak of %.1f GFLOP/s (a %d x %d fp32 matmul "
                        + "through the same engine and threads, measured once per run).",
                (Double) result.get("mfu"), (Double) result.get("flopsPerToken") / 1e6, ModelFlops.matmulParametersPerToken(model),
                (Double) result.get("medianStepTokensPerSecond"), (Double) result.get("peakFlopsPerSecond") / 1e9, PeakFlops.DEFAULT_SIZE,
                PeakFlops.DEFAULT_SIZE));
        page.heading("Loss curve");
        page.svg(lossSvg);
        page.heading("Model");
        page.table(List.of("field", "value"), model.toMap().entrySet().stream()
                .map(e -> List.of(e.getKey(), String.valueOf(e.getValue()))).toList());
        page.heading("Parameters by tensor class");
        page.table(List.of("class", "parameters"), ((Map<?, ?>) result.get("parameters")).entrySet().stream()
                .map(e -> List.of(String.valueOf(e.getKey()), String.valueOf(e.getValue()))).toList());
        page.write(file);
    }

    /** The peak learning rate and, with a pilot, every rate's bits per byte on the train split's holdout. */
    private static String lrSentence(Map<String, Object> result) {
        String lr = String.format(Locale.ROOT, "Peak learning rate %.1e", (Double) result.get("lr"));
        if (!(result.get("lrPilot") instanceof LrPilot.Result p)) return lr + " (headroom.train.lr; no pilot).";
        List<String> tried = new ArrayList<>();
        for (int i = 0; i < p.grid().size(); i++) tried.add(String.format(Locale.ROOT, "%.1e: %.4f", p.grid().get(i), p.holdoutBpb().get(i)));
        return lr + ", chosen by the pilot: bits per byte on the train split's holdout after the pilot's steps, " + String.join(", ", tried) + ".";
    }

    /** "Finished learning: ..." or "STILL LEARNING: ...", with the tail's two evaluations. */
    private static String convergenceSentence(Map<String, Object> result) {
        Map<?, ?> c = (Map<?, ?>) result.get("convergence");
        double move = (Double) result.get(TAIL_MOVE_KEY);
        String word = Boolean.TRUE.equals(result.get(STILL_LEARNING_KEY)) ? "STILL LEARNING" : "Finished learning";
        if (Double.isNaN(move)) {
            return word + ": no evaluation before the last " + c.get("tailFraction") + " of the steps, so the tail's move is unmeasured.";
        }
        return String.format(Locale.ROOT, "%s: val bpb moved %+.4f (%.4f at step %d to %.4f at step %d) over the last %.0f%% of the steps; "
                        + "the threshold is %.4f (headroom.train.convergence).", word, -move, (Double) c.get("tailStartValBpb"),
                (Long) c.get("tailStartStep"), (Double) c.get("endValBpb"), (Long) c.get("endStep"), 100 * (Double) c.get("tailFraction"),
                (Double) c.get("maxTailMoveBpb"));
    }

    private static Map<String, Object> resultMap(TrainResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("steps", r.steps());
        m.put("tokens", r.tokens());
        m.put("seconds", r.seconds());
        m.put("finalTrainLoss", r.finalTrainLoss());
        m.put("finalValBpb", r.finalValBpb());
        m.put("bestValBpb", r.bestValBpb());
        m.put("device", r.device());
        m.put("peakHeapMb", r.peakHeapMb());
        m.put("peakRssMb", r.peakRssMb());
        m.put("stopReason", r.stopReason());
        return m;
    }

    private static double medianTokensPerSecond(List<Row> rows) {
        double[] v = rows.stream().mapToDouble(Row::tokensPerSecond).filter(Double::isFinite).sorted().toArray();
        return v.length == 0 ? Double.NaN : v[v.length / 2];
    }
}
