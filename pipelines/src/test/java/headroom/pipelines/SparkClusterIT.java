package headroom.pipelines;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The spark-submit jar on a real standalone cluster, executors in their own JVMs, as a user runs it (issue 25): a
 * SPARK_HOME assembled from the jars Maven already has (a RELEASE file and {@code jars/}, which is what a worker needs
 * to launch executors), a master and a worker on 127.0.0.1, and {@code run} submitted with train and score
 * parallelism 2 at one torch thread. The executor is killed with SIGKILL once a training has checkpointed; the worker
 * starts a new one, Spark retries the tasks, and they resume from their checkpoints. The run must then equal, row for
 * row and weight for weight, the same run in {@code local[2]}. Every process it starts is stopped, on failure too.
 */
class SparkClusterIT {

    private static final int STEPS = 240;
    private static final int CHECKPOINT_EVERY = 20;
    // A generous limit: on a 2-core machine shared with other builds (load 20) the cluster run took 8.5 min.
    private static final long RUN_MINUTES = 15;

    private final List<Process> started = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Test
    void aRunOnAStandaloneClusterSurvivesALostExecutorAndEqualsTheLocalRun(@TempDir Path tmp) throws Exception {
        Path root = Path.of(System.getProperty("headroom.repo.root")).toAbsolutePath();
        Path jar = Path.of(System.getProperty("headroom.spark.jar"));
        assertTrue(Files.isRegularFile(jar), "the build made " + jar);
        Path sparkHome = assembleSparkHome(tmp.resolve("spark-home"), root, jar);
        Path conf = writeConf(tmp);
        // If the build stops this JVM (Ctrl-C, the forked JVM's exit when Maven goes), the daemons it started go with it.
        Thread stopper = new Thread(this::stopAll, "stop-cluster");
        Runtime.getRuntime().addShutdownHook(stopper);
        try {
            int masterPort = freePort();
            String masterUrl = "spark://127.0.0.1:" + masterPort;
            Path masterLog = tmp.resolve("master.log");
            start(sparkHome, masterLog, "-Xmx256m", "org.apache.spark.deploy.master.Master",
                    "--host", "127.0.0.1", "--port", String.valueOf(masterPort), "--webui-port", "0");
            Path workDir = tmp.resolve("worker");
            Process worker = start(sparkHome, tmp.resolve("worker.log"), "-Xmx256m", "org.apache.spark.deploy.worker.Worker",
                    "--host", "127.0.0.1", "--port", "0", "--webui-port", "0", "--cores", "2", "--memory", "3g",
                    "--work-dir", workDir.toString(), masterUrl);
            awaitOrFail(() -> contains(masterLog, "Registering worker"), 180, "the worker registers with the master", masterLog);

            // The executor dies by SIGKILL, as a lost machine would end it, once one training has checkpointed.
            Path clusterRun = tmp.resolve("cluster-run");
            AtomicReference<Long> killed = new AtomicReference<>();
            Thread killer = new Thread(() -> killExecutorAfterFirstCheckpoint(worker, clusterRun, killed), "executor-killer");
            killer.setDaemon(true);
            killer.start();
            long t0 = System.nanoTime();
            submit(sparkHome, root, jar, conf, masterUrl, clusterRun, tmp.resolve("cluster-driver.log"));
            long clusterSeconds = (System.nanoTime() - t0) / 1_000_000_000L;
            killer.interrupt();
            assertNotNull(killed.get(), "the executor was killed during training");

            List<Path> executorLogs = executorStderrs(workDir);
            assertTrue(executorLogs.size() >= 2, "the worker started a new executor after the kill: " + executorLogs);
            Matcher resumed = Pattern.compile("resuming from step (\\d+)").matcher(concat(executorLogs));
            assertTrue(resumed.find(), "a retried training resumed from its checkpoint (executor logs " + executorLogs + ")");
            long step = Long.parseLong(resumed.group(1));
            assertTrue(step >= CHECKPOINT_EVERY && step < STEPS && step % CHECKPOINT_EVERY == 0, "resumed from step " + step);

            long t1 = System.nanoTime();
            Path localRun = tmp.resolve("local-run");
            submit(sparkHome, root, jar, conf, "local[2]", localRun, tmp.resolve("local-driver.log"));
            long localSeconds = (System.nanoTime() - t1) / 1_000_000_000L;

            Map<String, String> weights = weightDigests(clusterRun);
            assertEquals(2, weights.size(), "one model per seed: " + weights);
            assertEquals(weights, weightDigests(localRun), "the same weights to the byte on the cluster and locally");
            List<String> leaderboard = leaderboardWithoutTimings(clusterRun);
            assertEquals(3, leaderboard.size(), "header + one row per model: " + leaderboard);
            assertEquals(leaderboardWithoutTimings(localRun), leaderboard, "the same leaderboard, row for row");
            System.out.printf("cluster run %d s (executor killed, resumed from step %d), local[2] run %d s, identical: %s%n",
                    clusterSeconds, step, localSeconds, weights);
        } catch (Throwable t) {
            keepLogs(tmp);
            throw t;
        } finally {
            stopAll();
            try {
                Runtime.getRuntime().removeShutdownHook(stopper);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting: the hook runs, and stopAll finds nothing left to stop
            }
        }
    }

    /** On failure the logs of master, worker, executors and drivers outlive the temp dir, under target/. */
    private static void keepLogs(Path tmp) throws IOException {
        Path keep = Path.of(System.getProperty("headroom.spark.jar")).resolveSibling("cluster-it-logs");
        try (Stream<Path> files = Files.walk(tmp)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".log") || f.endsWith("stderr") || f.endsWith("stdout")).toList()) {
                Path to = keep.resolve(tmp.relativize(f).toString());
                Files.createDirectories(to.getParent());
                Files.copy(f, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        System.err.println("SparkClusterIT: logs kept in " + keep);
    }

    /** SPARK_HOME as a distribution lays it out, as far as a master, a worker and its executors read it. */
    private static Path assembleSparkHome(Path home, Path root, Path jar) throws IOException {
        String classpath = Files.readString(Path.of(System.getProperty("headroom.full.classpath"))).trim();
        Path jars = Files.createDirectories(home.resolve("jars"));
        String sparkVersion = null;
        for (String entry : SparkSubmitIT.sparkSideOf(classpath, jar).split(File.pathSeparator)) {
            Path source = Path.of(entry);
            Path link = jars.resolve(source.getFileName());
            if (!Files.exists(link)) Files.createSymbolicLink(link, source);
            Matcher m = Pattern.compile("spark-core_[0-9.]+-([0-9.]+)\\.jar").matcher(source.getFileName().toString());
            if (m.matches()) sparkVersion = m.group(1);
        }
        assertNotNull(sparkVersion, "spark-core is on the build's classpath");
        // Spark's launcher takes jars/ from a distribution only when RELEASE is there (otherwise it looks for a source build).
        Files.writeString(home.resolve("RELEASE"), "Spark " + sparkVersion + " (jars from the Maven build, for SparkClusterIT)\n");
        // Executors put SPARK_HOME/conf on their classpath: the CLI's logging, so that Headroom's lines reach their stderr.
        Files.createDirectories(home.resolve("conf"));
        Files.copy(root.resolve("conf/log4j2.properties"), home.resolve("conf/log4j2.properties"));
        return home;
    }

    /** A tiny run: 2 vocabulary sizes, one candidate at 2 seeds, {@value STEPS} steps of 4 x 32 tokens, one int8 plan. */
    private static Path writeConf(Path tmp) throws IOException {
        DemoSlice.WithHeldout data = DemoSlice.writeWithHeldout(tmp);
        Path conf = tmp.resolve("cluster.conf");
        Files.writeString(conf, String.join("\n",
                "headroom {",
                "  prep { inputs = [\"" + data.corpus() + "\"], split.val-fraction = 0.1 }",
                "  sweep {",
                "    vocab-sizes = [257, 512]",
                "    reference-tokenizers = []",
                "    heldout = \"" + data.heldout() + "\"",
                "    budget { cap-bytes = 80000, widths = [64], head-modes = [tied] }",
                "  }",
                "  model { head-size = 16, seq-len = 32, unique-blocks = 1, loops = 2 }",
                "  train {",
                "    candidates = [\"v512-tied\"]",
                "    seeds = 2",
                "    batch-size = 4",
                "    budget { protocol = tokens, tokens = " + STEPS * 4 * 32 + " }",
                "    warmup-fraction = 0.0417, lr = 1e-2, min-lr-fraction = 0.1, lr-pilot.grid = []",
                "    eval-interval = 80, eval-documents = 8, log-interval = 40",
                "    checkpoint-interval = " + CHECKPOINT_EVERY,
                "  }",
                "  score {",
                "    precision-plans = [\"emb=int8,attn=int8,mlp=int8,norm=fp16,clip=none,outliers=0\"]",
                "    eval-loops = []",
                "    baselines = false",
                "    ngram.enabled = false",
                "  }",
                "}", ""), StandardCharsets.UTF_8);
        return conf;
    }

    /** The README's spark-submit line: train and score parallelism 2, one torch thread per training, one core per task. */
    private void submit(Path sparkHome, Path root, Path jar, Path conf, String master, Path run, Path log) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx2g"));
        cmd.addAll(jvmFlags());
        cmd.addAll(List.of("-Dai.djl.offline=true", "-Dlog4j2.configurationFile=" + root.resolve("conf/log4j2.properties"),
                "-cp", sparkHome.resolve("jars") + "/*", "org.apache.spark.deploy.SparkSubmit",
                "--master", master, "--class", "headroom.pipelines.cli.Main",
                "--executor-cores", "2", "--executor-memory", "2g", "--conf", "spark.task.cpus=1",
                "--conf", "spark.executor.extraJavaOptions=-Dai.djl.offline=true", "--conf", "spark.ui.enabled=false",
                jar.toString(), "run", "--conf", conf.toString(), "--run-dir", run.toString(),
                "train.parallelism=2", "train.threads=1", "score.parallelism=2"));
        Process driver = launch(cmd, sparkHome, log);
        if (!driver.waitFor(RUN_MINUTES, TimeUnit.MINUTES)) {
            throw new AssertionError("the run on " + master + " did not finish in " + RUN_MINUTES + " min:\n" + tail(log));
        }
        assertEquals(0, driver.exitValue(), "the run on " + master + ":\n" + tail(log));
    }

    private static void killExecutorAfterFirstCheckpoint(Process worker, Path run, AtomicReference<Long> killed) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                if (anyCheckpoint(run)) {
                    Optional<ProcessHandle> executor = worker.toHandle().children()
                            .filter(p -> p.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend")).findFirst();
                    if (executor.isPresent() && executor.get().destroyForcibly()) {
                        killed.set(executor.get().pid());
                        return;
                    }
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean anyCheckpoint(Path run) {
        Path work = run.resolve(".work/train");
        if (!Files.isDirectory(work)) return false;
        try (Stream<Path> models = Files.list(work)) {
            return models.anyMatch(m -> Files.isDirectory(m.resolve("checkpoints").resolve(String.format("step-%08d", CHECKPOINT_EVERY))));
        } catch (IOException | UncheckedIOException e) {
            return false; // a work dir renamed away while listed
        }
    }

    private Process start(Path sparkHome, Path log, String heap, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(java(), heap, "-cp", sparkHome.resolve("jars") + "/*", mainClass));
        cmd.addAll(Arrays.asList(args));
        return launch(cmd, sparkHome, log);
    }

    private Process launch(List<String> cmd, Path sparkHome, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("SPARK_HOME", sparkHome.toString());
        // What a distribution's bin/load-spark-env.sh exports: without it the worker's launcher looks for a source build.
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("SPARK_LOCAL_DIRS", Files.createDirectories(sparkHome.resolveSibling("local")).toString());
        env.put("OMP_WAIT_POLICY", "PASSIVE");
        Process p = pb.start();
        started.add(p);
        return p;
    }

    /** Executors are the worker's children, the driver's are its own: every descendant first, then each process. */
    private synchronized void stopAll() {
        for (int i = started.size() - 1; i >= 0; i--) {
            Process p = started.get(i);
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process p : started) {
            try {
                p.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static List<Path> executorStderrs(Path workDir) throws IOException {
        try (Stream<Path> files = Files.walk(workDir)) {
            return files.filter(f -> f.getFileName().toString().equals("stderr")).sorted().toList();
        }
    }

    private static Map<String, String> weightDigests(Path run) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        try (Stream<Path> models = Files.list(run.resolve("models"))) {
            for (Path m : models.sorted().toList()) {
                byte[] weights = Files.readAllBytes(m.resolve(headroom.model.nn.ModelFiles.WEIGHTS_FILE));
                out.put(m.getFileName().toString(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(weights)));
            }
        }
        return out;
    }

    /** The leaderboard CSV without train_seconds, the one column that is a measurement of the machine. */
    private static List<String> leaderboardWithoutTimings(Path run) throws IOException {
        List<String> lines = Files.readAllLines(run.resolve("artifacts/leaderboard.csv"));
        int timing = cells(lines.get(0)).indexOf("train_seconds");
        assertTrue(timing >= 0, "the leaderboard has train_seconds: " + lines.get(0));
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            List<String> cells = cells(line);
            cells.remove(timing);
            out.add(String.join(",", cells));
        }
        return out;
    }

    /** One CSV line's cells, quotes kept: a plan such as "emb=int8,attn=int8,..." is one quoted cell. */
    private static List<String> cells(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (char c : line.toCharArray()) {
            if (c == '"') quoted = !quoted;
            if (c == ',' && !quoted) {
                out.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        out.add(cell.toString());
        return out;
    }

    private static void awaitOrFail(BooleanSupplier condition, int seconds, String what, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError(what + " within " + seconds + " s:\n" + tail(log));
            Thread.sleep(200);
        }
    }

    private static boolean contains(Path log, String text) {
        try {
            return Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    private static String concat(List<Path> files) throws IOException {
        StringBuilder s = new StringBuilder();
        for (Path f : files) s.append(Files.readString(f, StandardCharsets.UTF_8));
        return s.toString();
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static List<String> jvmFlags() {
        return Arrays.asList(System.getProperty("headroom.jvm.flags").trim().split("\\s+"));
    }
}
