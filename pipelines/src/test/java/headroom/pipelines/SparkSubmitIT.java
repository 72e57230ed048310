package headroom.pipelines;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The spark-submit jar, run the way a cluster runs it: {@code SparkSubmit --class ... headroom-spark.jar},
 * with nothing on the classpath but Spark and what Spark brings (as in a Spark distribution), so
 * every other class and native library must come from the jar.
 */
class SparkSubmitIT {

    @Test
    void theShadedJarRunsPrepAndSweepOnTheDemoCorpusThroughSparkSubmit(@TempDir Path tmp) throws Exception {
        Path root = Path.of(System.getProperty("headroom.repo.root")).toAbsolutePath();
        Path jar = Path.of(System.getProperty("headroom.spark.jar"));
        assertTrue(Files.isRegularFile(jar), "the build made " + jar);
        String sparkClasspath = sparkSideOf(Files.readString(Path.of(System.getProperty("headroom.full.classpath"))).trim(), jar);
        assertTrue(Arrays.stream(sparkClasspath.split(File.pathSeparator)).noneMatch(p -> p.contains("headroom-") || p.contains("djl")),
                "the Spark classpath carries none of our modules and no DJL");
        Path run = tmp.resolve("run");

        for (String stage : List.of("prep", "sweep")) {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx4g"));
            cmd.addAll(Arrays.asList(System.getProperty("headroom.jvm.flags").trim().split("\\s+")));
            cmd.addAll(List.of("-Dai.djl.offline=true", "-Dlog4j2.configurationFile=" + root.resolve("conf/log4j2.properties"),
                    "-cp", sparkClasspath, "org.apache.spark.deploy.SparkSubmit",
                    "--master", "local[2]", "--class", "headroom.pipelines.cli.Main",
                    "--conf", "spark.ui.enabled=false", jar.toString(),
                    stage, "--conf", root.resolve("conf/demo.conf").toString(), "--run-dir", run.toString(),
                    "prep.inputs=[\"" + root.resolve("data/demo/austen.txt.xz") + "\"]",
                    "sweep.heldout=\"" + root.resolve("data/demo/devil.txt.xz") + "\"",
                    "sweep.vocab-sizes=[257, 512, 1024]", "sweep.reference-tokenizers=[]", "hypothesis.pairs=[[512, 1024]]"));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve(stage + ".log").toFile()).start();
            assertTrue(p.waitFor(10, TimeUnit.MINUTES), stage + " finished in time");
            String log = Files.readString(tmp.resolve(stage + ".log"), StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), stage + " through spark-submit:\n" + log);
        }
        assertTrue(Files.readString(run.resolve("manifest.json")).contains("\"SUCCEEDED\""));
        List<String> metrics = Files.readAllLines(run.resolve("sweep/metrics.csv"));
        assertEquals(4, metrics.size(), "header + 3 vocabulary sizes, val measured through DJL on the executors:\n" + metrics);
        assertTrue(Files.exists(run.resolve("sweep/tokenizers/v1024/tokenizer.json")));
    }

    /**
     * The build's full classpath less every jar the shaded jar already carries: Spark and the libraries
     * a Spark distribution ships (and the shade therefore leaves out).
     */
    static String sparkSideOf(String fullClasspath, Path shadedJar) throws java.io.IOException {
        java.util.Set<String> shaded = new java.util.HashSet<>();
        try (java.util.jar.JarFile j = new java.util.jar.JarFile(shadedJar.toFile())) {
            j.stream().forEach(e -> shaded.add(e.getName()));
        }
        List<String> keep = new ArrayList<>();
        for (String entry : fullClasspath.split(File.pathSeparator)) {
            if (!entry.endsWith(".jar")) continue;
            try (java.util.jar.JarFile j = new java.util.jar.JarFile(entry)) {
                boolean inShade = j.stream().map(java.util.jar.JarEntry::getName)
                        .filter(n -> !n.endsWith("/") && !n.startsWith("META-INF/") && !n.equals("module-info.class")) // natives-only jars too
                        .findFirst().map(shaded::contains).orElse(false);
                if (!inShade) keep.add(entry);
            }
        }
        return String.join(File.pathSeparator, keep);
    }
}
