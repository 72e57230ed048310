package headroom.pipelines.cli;

import com.typesafe.config.Config;
import headroom.pipelines.Headroom;
import headroom.pipelines.conf.ConfException;
import headroom.pipelines.conf.HeadroomConf;
import headroom.pipelines.nightly.NightlyConf;
import headroom.pipelines.run.DirLock;
import headroom.pipelines.run.StageRunner;
import headroom.pipelines.spark.SparkSessions;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code bin/headroom}: one subcommand per stage. Exit codes: 0 done, 1 a stage failed,
 * 2 the command line or the conf is wrong, 3 done but flagged (a nightly regression), 4 another
 * headroom process holds the run directory (or the nightly root). Every run's full log, stack
 * traces included, goes to {@code <run-dir>/logs/} (nightly: {@code <nightly.root>/logs/}).
 */
public final class Main {

    /** A subcommand: its one-line purpose, the options it accepts beyond the common ones, and the work. */
    record Command(String summary, String usage, Set<String> options, Action action) {
    }

    /** The work of a command; returns the exit code (0 done, 3 done but flagged, e.g. a nightly regression). */
    @FunctionalInterface
    interface Action {
        int run(SparkSession spark, Config config, CliArgs args) throws Exception;
    }

    private static int done(Object ignored) {
        return 0;
    }

    static final Map<String, Command> COMMANDS = new LinkedHashMap<>();
    /** Commands whose run directory comes from the conf. */
    private static final Set<String> NO_RUN_DIR = Set.of("nightly");

    static {
        COMMANDS.put("prep", new Command(
                "read corpus files, quarantine bad records, dedup, split into train/val -> RUN_DIR/corpus/",
                "reads headroom.prep.inputs (.txt/.jsonl/.parquet, optionally .gz/.zst/.xz); writes corpus/train, corpus/val,\n"
                        + "  corpus/quarantine and corpus/stats.json, and records the stage in RUN_DIR/manifest.json.",
                Set.of(),
                (spark, config, args) -> done(Headroom.prep(spark, config, args.runDir(), args.force()))));
        COMMANDS.put("sweep", new Command(
                "train BPE once, export and measure every vocabulary size, price the head -> RUN_DIR/sweep/",
                "needs prep. Writes sweep/tokenizers/v{V}/tokenizer.json, metrics/budget/candidates tables (.parquet + .csv)\n"
                        + "  and report/sweep.html. Sizes: headroom.sweep.vocab-sizes; out-of-domain text: headroom.sweep.heldout.",
                Set.of(),
                (spark, config, args) -> done(Headroom.sweep(spark, config, args.runDir(), args.force()))));
        COMMANDS.put("tokenize", new Command(
                "encode train/val with the candidates' tokenizers into Arrow token shards -> RUN_DIR/shards/v{V}/",
                "needs sweep. Sizes: those of headroom.train.candidates plus headroom.tokenize.vocab-sizes; one Arrow file per\n"
                        + "  partition with a manifest of counts and checksums; Parameter Golf shards with tokenize.parameter-golf-export=true.",
                Set.of(),
                (spark, config, args) -> done(Headroom.tokenize(spark, config, args.runDir(), args.force()))));
        COMMANDS.put("train", new Command(
                "train the selected candidates (DJL PyTorch; GPU when found) -> RUN_DIR/models/<candidate>/",
                "needs tokenize. --candidate NAME trains one (a sweep candidate name or v{V}-{head}); --resume continues from\n"
                        + "  its last checkpoint (a stopped run also resumes by itself when the conf is unchanged).",
                Set.of("candidate", "resume"),
                (spark, config, args) -> done(Headroom.train(spark, config, args.runDir(), args.force(),
                        java.util.Optional.ofNullable(args.options().get("candidate")), args.options().containsKey("resume")))));
        COMMANDS.put("score", new Command(
                "quantize, pack, compress, read back and evaluate every trained model -> RUN_DIR/artifacts/",
                "needs train. One artifact per model and precision plan (headroom.score.precision-plans), post-roundtrip bits per\n"
                        + "  byte on the whole val split, leaderboard (.parquet + .csv), report/score.html and report/hypothesis.html.",
                Set.of(),
                (spark, config, args) -> done(Headroom.score(spark, config, args.runDir(), args.force()))));
        COMMANDS.put("run", new Command(
                "the whole pipeline: prep, sweep, tokenize, train, score -> RUN_DIR/report/index.html",
                "stages that are up to date are skipped; a killed run started again resumes where it stopped.",
                Set.of(),
                (spark, config, args) -> {
                    Path index = Headroom.run(spark, config, args.runDir(), args.force());
                    System.out.println("headroom: done; open " + index.toAbsolutePath().normalize());
                    return 0;
                }));
        COMMANDS.put("study", new Command(
                "small runs across caps and vocabularies, the law of bpb fitted to them -> RUN_DIR/report/study.html",
                "one prep, one sweep, then headroom.study's design (caps x vocab-sizes x head-modes x seeds), each run trained and\n"
                        + "  scored once (a killed study resumes; finished runs are kept); then the law fitted with bootstrap intervals\n"
                        + "  (study/law.json), leave-one-cap-out Spearman and MAE, and the predicted best candidate at study.target-cap-bytes.\n"
                        + "  Point headroom.sweep.predictor.law at study/law.json to rank a sweep with it (docs/PREDICTOR.md).",
                Set.of(),
                (spark, config, args) -> {
                    Path report = Headroom.study(spark, config, args.runDir(), args.force());
                    System.out.println("headroom: done; open " + report.toAbsolutePath().normalize());
                    return 0;
                }));
        COMMANDS.put("nightly", new Command(
                "prep + sweep into <nightly.root>/date=YYYY-MM-DD/, compared with the previous night",
                "idempotent for a date; a lock keeps two runs apart; writes nightly-diff.html and .json beside the run and\n"
                        + "  exits with 3 when a metric moves past headroom.nightly.thresholds. --date YYYY-MM-DD (default: today, UTC).\n"
                        + "  The run directory comes from headroom.nightly.root, so --run-dir is not used.",
                Set.of("date"),
                (spark, config, args) -> {
                    java.time.LocalDate date = args.options().containsKey("date")
                            ? java.time.LocalDate.parse(args.options().get("date"))
                            : java.time.LocalDate.now(java.time.ZoneOffset.UTC);
                    return Headroom.nightly(spark, config, date, args.force()).flagged() ? 3 : 0;
                }));
    }

    private Main() {
    }

    public static void main(String[] argv) {
        System.exit(run(argv));
    }

    static int run(String[] argv) {
        CliArgs args;
        try {
            args = CliArgs.parse(argv);
        } catch (CliArgs.UsageException e) {
            System.err.println("headroom: " + e.getMessage());
            System.err.println(usage());
            return 2;
        }
        if (args.command() == null) {
            System.out.println(usage());
            return args.help() ? 0 : 2;
        }
        Command command = COMMANDS.get(args.command());
        if (command == null) {
            System.err.println("headroom: unknown command '" + args.command() + "'");
            System.err.println(usage());
            return 2;
        }
        if (args.help()) {
            System.out.println(help(args.command(), command));
            return 0;
        }
        for (String option : args.options().keySet()) {
            if (!command.options().contains(option)) {
                System.err.println("headroom " + args.command() + ": unknown option --" + option);
                System.err.println(help(args.command(), command));
                return 2;
            }
        }
        if (args.runDir() == null && !NO_RUN_DIR.contains(args.command())) {
            System.err.println("headroom " + args.command() + ": --run-dir DIR is required (one run = one directory)");
            return 2;
        }
        Config config;
        try {
            config = HeadroomConf.load(args.conf(), args.overrides());
        } catch (ConfException e) {
            System.err.println("headroom: " + e.getMessage());
            return 2;
        }
        // one process per run directory, taken before Spark starts so a second one is turned away at once
        try (DirLock lock = args.runDir() == null ? null
                : DirLock.acquire(args.runDir().toAbsolutePath().normalize(), DirLock.RUN_DIR, "run directory", "headroom " + String.join(" ", argv));
             RunLog log = RunLog.start(args.runDir() != null ? args.runDir() : NightlyConf.from(config).root(), args.command())) {
            return runCommand(command, config, args, log);
        } catch (DirLock.HeldException e) {
            System.err.println("headroom: " + e.getMessage());
            return 4;
        } catch (ConfException e) {
            System.err.println("headroom: " + e.getMessage());
            return 2;
        }
    }

    private static int runCommand(Command command, Config config, CliArgs args, RunLog log) {
        SparkSession spark = SparkSessions.create(config, args.master());
        try {
            return command.action().run(spark, config, args);
        } catch (ConfException | java.time.format.DateTimeParseException e) {
            log.failure("headroom " + args.command() + ": bad conf or option", e);
            System.err.println("headroom: " + e.getMessage());
            return 2;
        } catch (DirLock.HeldException e) {
            throw e;
        } catch (Exception e) {
            log.failure("headroom " + args.command() + " failed", e);
            System.err.println("headroom " + args.command() + " failed: " + rootMessage(e));
            if (log.file().isPresent()) {
                System.err.println("(the full log, with the stack trace, is in " + log.file().get()
                        + "; the run directory keeps every finished stage, so re-running resumes)");
            } else {
                e.printStackTrace();
                System.err.println("(the run directory keeps every finished stage, so re-running resumes)");
            }
            return 1;
        } finally {
            spark.stop();
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e instanceof StageRunner.StageFailedException && e.getCause() != null ? e.getCause() : e;
        while (t.getCause() != null && t.getCause() != t && (t.getMessage() == null || t instanceof org.apache.spark.SparkException)) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    static String usage() {
        StringBuilder s = new StringBuilder("usage: headroom COMMAND --run-dir DIR [--conf FILE] [--master URL] [--force] [key=value ...]\n\ncommands:\n");
        COMMANDS.forEach((name, c) -> s.append(String.format("  %-9s %s%n", name, c.summary())));
        s.append("\n'headroom COMMAND --help' describes one command. key=value overrides any conf key (HOCON path,\n")
                .append("e.g. prep.split.seed=7); every key is documented in reference.conf.");
        return s.toString();
    }

    static String help(String name, Command c) {
        return "usage: headroom " + name + " --run-dir DIR [--conf FILE] [--master URL] [--force] [key=value ...]"
                + (c.options().isEmpty() ? "" : " " + String.join(" ", c.options().stream().map(o -> "[--" + o + "]").toList()))
                + "\n\n" + name + ": " + c.summary() + "\n  " + c.usage() + "\n\n"
                + "  --conf FILE     run conf (HOCON) over reference.conf\n"
                + "  --run-dir DIR   the run directory (created if missing)\n"
                + "  --master URL    Spark master (default headroom.spark.master, local[*]; spark-submit's wins)\n"
                + "  --force         re-run even if inputs, conf and code are unchanged\n"
                + "  key=value       override a conf key, e.g. prep.split.val-fraction=0.1";
    }

}
