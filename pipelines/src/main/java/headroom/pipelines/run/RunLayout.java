package headroom.pipelines.run;

import headroom.model.CandidateNames;

import java.nio.file.Path;

/**
 * The map of a run directory: every path a stage reads or writes is built here and nowhere else, so the
 * stages agree on it and a run made by an earlier version is found where it was left. Names of
 * vocabularies, models, study runs and artifacts come from {@link CandidateNames}.
 * <pre>
 * manifest.json                                     one record per stage ({@link Manifest})
 * .headroom.lock, logs/                             the running process's lock ({@link DirLock}) and each command's log
 * .staging/&lt;stage&gt;/                              a running stage's outputs, laid out as below, renamed into place on success
 * .work/train/&lt;model&gt;/, .work/train/study/&lt;run&gt;/  a training's checkpoints, outside staging so that they survive a kill
 *
 * corpus/{train,val,test}/                          prep: Parquet doc_id, text, bytes, source, position, meta
 * corpus/quarantine/, corpus/stats.json             what could not be read, and why; documents and bytes per split
 *
 * sweep/tokenizers/v{V}/tokenizer.json, .asset      sweep: each vocabulary's tokenizer and its compressed asset
 * sweep/merges.tsv, sweep/summary.json              the whole merge list; counts, bytes per parameter, timings
 * sweep/{metrics,references,budget,candidates}.{parquet,csv}   per vocabulary size; reference tokenizers; priced shapes
 * sweep/predictions.{parquet,csv}                   rank: the candidates by predicted bits per byte
 *
 * shards/v{V}/tokenizer.json                        tokenize: the tokenizer the shards were encoded with
 * shards/v{V}/{train,val}/                          Arrow token shards and their manifest.json
 * shards/v{V}/pg/, shards/summary.json              Parameter Golf shards; counts per size and split
 *
 * models/&lt;model&gt;/                                  train: weights, log, result, run.json, tokenizer.sha256 of one (candidate, seed)
 *
 * artifacts/&lt;model&gt;__&lt;plan&gt;.hra                    score: one artifact per model and precision plan
 * artifacts/{leaderboard,leaderboard-by-candidate,verdicts,refinement}.{parquet,csv}
 * artifacts/bytes-per-param.json, summary.json      measured bytes per parameter (for the next sweep); counts, the best
 *
 * report/&lt;page&gt;.html                               sweep, sweep-ranking, train-&lt;model&gt;, score, hypothesis (+ .md), study, index
 *
 * study/models/&lt;run&gt;/, study/report/train-&lt;run&gt;.html   study: each run's model and page, as train writes them
 * study/scored/&lt;run&gt;/, study/law.json, study/fit/   each run's artifact and score row; the fitted law and its tables
 *
 * nightly-diff.{html,json}                          nightly: the night compared with the one before
 * </pre>
 * A stage writes into {@code .staging/<stage>/}, which has this same layout: {@code new RunLayout(stagingRoot)} gives
 * its paths, and {@link #RELATIVE} gives the relative names a {@link StageSpec} lists as outputs. A table is a path
 * without extension, written as {@code .parquet} and {@code .csv} ({@link #parquet}, {@link #csv}).
 */
public record RunLayout(Path root) {

    /** Paths relative to a run directory: a stage's output names. */
    public static final RunLayout RELATIVE = new RunLayout(Path.of(""));

    private static final String CORPUS = "corpus";
    private static final String SWEEP = "sweep";
    private static final String TOKENIZERS = "tokenizers";
    private static final String TOKENIZER_JSON = "tokenizer.json";
    private static final String SHARDS = "shards";
    private static final String MODELS = "models";
    private static final String ARTIFACTS = "artifacts";
    private static final String REPORT = "report";
    private static final String STUDY = "study";
    private static final String SUMMARY = "summary.json";
    private static final String TRAIN_WORK = ".work/train";
    private static final String TRAIN_PAGE = "train-";
    private static final String HTML = ".html";

    public static RunLayout of(Path runDir) {
        return new RunLayout(runDir.toAbsolutePath().normalize());
    }

    /** The {@code .parquet} copy of a table. */
    public static Path parquet(Path table) {
        return table.resolveSibling(table.getFileName() + ".parquet");
    }

    /** The {@code .csv} copy of a table. */
    public static Path csv(Path table) {
        return table.resolveSibling(table.getFileName() + ".csv");
    }

    // prep

    public Path corpus() {
        return root.resolve(CORPUS);
    }

    /** {@code corpus/<split>}: train, val or test. */
    public Path corpus(String split) {
        return corpus().resolve(split);
    }

    public Path quarantine() {
        return corpus().resolve("quarantine");
    }

    public Path corpusStats() {
        return corpus().resolve("stats.json");
    }

    // sweep and rank

    public Path sweep() {
        return root.resolve(SWEEP);
    }

    public Path tokenizers() {
        return sweep().resolve(TOKENIZERS);
    }

    /** {@code sweep/tokenizers/v{V}/tokenizer.json}. */
    public Path tokenizerJson(int vocabSize) {
        return tokenizers().resolve(CandidateNames.vocab(vocabSize)).resolve(TOKENIZER_JSON);
    }

    /** {@code sweep/tokenizers/v{V}/tokenizer.asset}: the compressed tokenizer an artifact carries. */
    public Path tokenizerAsset(int vocabSize) {
        return tokenizers().resolve(CandidateNames.vocab(vocabSize)).resolve("tokenizer.asset");
    }

    public Path merges() {
        return sweep().resolve("merges.tsv");
    }

    public Path sweepSummary() {
        return sweep().resolve(SUMMARY);
    }

    /** {@code sweep/<table>}: metrics, references, budget, candidates or predictions. */
    public Path sweepTable(String table) {
        return sweep().resolve(table);
    }

    public Path vocabMetrics() {
        return sweepTable("metrics");
    }

    public Path candidates() {
        return sweepTable("candidates");
    }

    public Path predictions() {
        return sweepTable("predictions");
    }

    // tokenize

    public Path shards() {
        return root.resolve(SHARDS);
    }

    /** {@code shards/v{V}}. */
    public Path shards(int vocabSize) {
        return shards().resolve(CandidateNames.vocab(vocabSize));
    }

    /** {@code shards/v{V}/<split>}: a split's Arrow shards and their manifest. */
    public Path shards(int vocabSize, String split) {
        return shards(vocabSize).resolve(split);
    }

    /** {@code shards/v{V}/tokenizer.json}: the copy the shards were encoded with. */
    public Path shardsTokenizerJson(int vocabSize) {
        return shards(vocabSize).resolve(TOKENIZER_JSON);
    }

    /** {@code shards/v{V}/pg}: the Parameter Golf export. */
    public Path parameterGolf(int vocabSize) {
        return shards(vocabSize).resolve("pg");
    }

    public Path shardsSummary() {
        return shards().resolve(SUMMARY);
    }

    // train

    public Path models() {
        return root.resolve(MODELS);
    }

    /** {@code models/<model>}, the model named by {@link CandidateNames#model}. */
    public Path model(String name) {
        return models().resolve(name);
    }

    /** {@code .work/train}: where trainings keep their checkpoints. */
    public Path trainWork() {
        return root.resolve(TRAIN_WORK);
    }

    /** {@code .work/train/<model>}. */
    public Path trainWork(String model) {
        return trainWork().resolve(model);
    }

    // score

    public Path artifacts() {
        return root.resolve(ARTIFACTS);
    }

    /** {@code artifacts/<file>}, the file named by {@link CandidateNames#artifact}. */
    public Path artifact(String file) {
        return artifacts().resolve(file);
    }

    /** {@code artifacts/<table>}: leaderboard, leaderboard-by-candidate, verdicts or refinement. */
    public Path scoreTable(String table) {
        return artifacts().resolve(table);
    }

    public Path leaderboard() {
        return scoreTable("leaderboard");
    }

    public Path leaderboardByCandidate() {
        return scoreTable("leaderboard-by-candidate");
    }

    public Path verdicts() {
        return scoreTable("verdicts");
    }

    public Path refinement() {
        return scoreTable("refinement");
    }

    public Path bytesPerParameter() {
        return artifacts().resolve("bytes-per-param.json");
    }

    public Path scoreSummary() {
        return artifacts().resolve(SUMMARY);
    }

    // reports

    public Path reports() {
        return root.resolve(REPORT);
    }

    private Path report(String page) {
        return reports().resolve(page + HTML);
    }

    public Path sweepReport() {
        return report("sweep");
    }

    public Path rankingReport() {
        return report("sweep-ranking");
    }

    /** {@code report/train-<model>.html}. */
    public Path trainReport(String model) {
        return report(TRAIN_PAGE + model);
    }

    /** The model a {@link #trainReport} page is of; empty for another page. */
    public static java.util.Optional<String> trainReportModel(Path page) {
        String file = page.getFileName().toString();
        return file.startsWith(TRAIN_PAGE) && file.endsWith(HTML)
                ? java.util.Optional.of(file.substring(TRAIN_PAGE.length(), file.length() - HTML.length())) : java.util.Optional.empty();
    }

    public Path scoreReport() {
        return report("score");
    }

    public Path hypothesisReport() {
        return report("hypothesis");
    }

    /** {@code report/hypothesis.md}: the hypothesis page as Markdown. */
    public Path hypothesisMarkdown() {
        return reports().resolve("hypothesis.md");
    }

    public Path studyReport() {
        return report("study");
    }

    /** {@code report/index.html}: the page a run ends on, linking the others. */
    public Path indexReport() {
        return report("index");
    }

    /** {@code nightly-diff.<extension>} (html or json): a nightly run compared with the night before. */
    public Path nightlyDiff(String extension) {
        return root.resolve("nightly-diff." + extension);
    }

    // study

    public Path study() {
        return root.resolve(STUDY);
    }

    /** {@code study/models/<run>}, the run named by {@link CandidateNames#studyRun}. */
    public Path studyModel(String run) {
        return study().resolve(MODELS).resolve(run);
    }

    /** {@code study/report/train-<run>.html}. */
    public Path studyTrainReport(String run) {
        return study().resolve(REPORT).resolve(TRAIN_PAGE + run + HTML);
    }

    /** {@code .work/train/study/<run>}. */
    public Path studyTrainWork(String run) {
        return trainWork().resolve(STUDY).resolve(run);
    }

    /** {@code study/scored/<run>}: the run's artifact and its leaderboard row. */
    public Path studyScored(String run) {
        return study().resolve("scored").resolve(run);
    }

    public Path studyLaw() {
        return study().resolve("law.json");
    }

    /** {@code study/fit}: the tables behind the study's report. */
    public Path studyFit() {
        return study().resolve("fit");
    }
}
