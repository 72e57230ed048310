package headroom.pipelines.score;

import com.typesafe.config.Config;
import headroom.model.train.EvalResult;
import headroom.pipelines.Headroom;
import headroom.pipelines.prep.HeldoutText;
import headroom.pipelines.run.RunLayout;
import headroom.pipelines.spark.SparkSessions;
import headroom.pipelines.sweep.SweepStage;
import headroom.scoring.baseline.ByteNgram;
import headroom.scoring.baseline.ByteSymbols;
import headroom.scoring.baseline.NgramFloor;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The n-gram floor on a prepared run (BENCHMARKS.md, issue 19), in two steps so that the second runs without Spark:
 * <pre>
 * export RUN_DIR CONF OUT_DIR   the texts the score stage reads: train and val in doc_id order, the out-of-domain set
 * measure OUT_DIR               NgramFloor.measure as the stage calls it, alone in its process (for its time and memory)
 * orders OUT_DIR                the same, then val and out-of-domain bpb at every order, for the table only: the stage
 *                               never scores val at an order it did not choose
 * </pre>
 * Run through bench/ngram-floor.sh.
 */
public final class NgramFloorBench {

    private NgramFloorBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 4 && args[0].equals("export")) export(Path.of(args[1]), Headroom.conf(Path.of(args[2])), Path.of(args[3]));
        else if (args.length == 2 && args[0].equals("measure")) measure(Path.of(args[1]), false);
        else if (args.length == 2 && args[0].equals("orders")) measure(Path.of(args[1]), true);
        else throw new IllegalArgumentException("usage: export RUN_DIR CONF OUT_DIR | measure OUT_DIR | orders OUT_DIR");
    }

    private static void export(Path runDir, Config config, Path out) throws IOException {
        ScoreConf conf = ScoreConf.from(config);
        SparkSession spark = SparkSessions.create(config, "local[2]");
        RunLayout run = new RunLayout(runDir);
        Files.createDirectories(out);
        write(out.resolve("train.bin"), NgramBaseline.trainTexts(spark, run, conf.ngram().floor().maxTrainBytes()));
        write(out.resolve("val.bin"), spark.read().parquet(run.corpus("val").toString()).orderBy("doc_id").select("text").as(Encoders.STRING())
                .collectAsList());
        write(out.resolve("heldout.bin"), conf.heldout().isBlank() ? List.of()
                : HeldoutText.read(SweepStage.HELDOUT_KEY, conf.heldout(), spark.sparkContext().hadoopConfiguration(), conf.heldoutMaxDocs()));
        Files.writeString(out.resolve("settings.txt"), conf.ngram().floor().maxOrder() + " " + conf.ngram().floor().holdoutFraction() + " "
                + conf.ngram().floor().maxTrainBytes() + "\n");
        spark.stop();
    }

    private static void measure(Path dir, boolean everyOrder) throws IOException {
        String[] s = Files.readString(dir.resolve("settings.txt")).trim().split(" ");
        NgramFloor.Settings settings = new NgramFloor.Settings(Integer.parseInt(s[0]), Double.parseDouble(s[1]), Long.parseLong(s[2]));
        List<String> train = read(dir.resolve("train.bin")), val = read(dir.resolve("val.bin")), heldout = read(dir.resolve("heldout.bin"));
        System.out.printf(Locale.ROOT, "texts: train %,d documents, val %,d (%,d bytes), out-of-domain %,d (%,d bytes)%n", train.size(), val.size(),
                ByteSymbols.encode(val).textBytes(), heldout.size(), heldout.isEmpty() ? 0 : ByteSymbols.encode(heldout).textBytes());

        NgramFloor.Result floor = NgramFloor.measure(train, val, heldout, settings);
        System.out.printf(Locale.ROOT, "floor (as the score stage measures it): order %d, holdout %.4f, val %.4f, out-of-domain %.4f bpb | train %,d "
                        + "documents, %,d bytes%s | counts %.0f MB | %.2f s%n", floor.order(), floor.selection().holdoutBpb(), floor.valBpb(),
                floor.heldoutBpb(), floor.trainDocuments(), floor.trainBytes(), floor.capped() ? " (capped)" : "", floor.countBytes() / 1e6,
                floor.seconds());
        if (!everyOrder) return;

        long t0 = System.nanoTime();
        ByteNgram model = ByteNgram.count(ByteSymbols.encode(NgramFloor.cap(train, settings.maxTrainBytes()).documents()), settings.maxOrder());
        List<EvalResult> onVal = model.scoreEveryOrder("val", ByteSymbols.encode(val));
        List<EvalResult> onHeldout = heldout.isEmpty() ? null : model.scoreEveryOrder("out-of-domain", ByteSymbols.encode(heldout));
        System.out.printf(Locale.ROOT, "every order on val and out-of-domain: %.2f s more%n%n", (System.nanoTime() - t0) / 1e9);
        System.out.println("| order | train holdout bpb | val bpb | out-of-domain bpb |");
        System.out.println("|---|---|---|---|");
        for (int k = 1; k <= settings.maxOrder(); k++) {
            System.out.printf(Locale.ROOT, "| %d%s | %.4f | %.4f | %s |%n", k, k == floor.order() ? " (chosen)" : "",
                    floor.selection().holdoutBpbByOrder().get(k - 1), onVal.get(k - 1).bpb(),
                    onHeldout == null ? "-" : String.format(Locale.ROOT, "%.4f", onHeldout.get(k - 1).bpb()));
        }
    }

    private static void write(Path file, List<String> documents) throws IOException {
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
            out.writeInt(documents.size());
            for (String d : documents) {
                byte[] b = d.getBytes(StandardCharsets.UTF_8);
                out.writeInt(b.length);
                out.write(b);
            }
        }
    }

    private static List<String> read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            int n = in.readInt();
            List<String> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) out.add(new String(in.readNBytes(in.readInt()), StandardCharsets.UTF_8));
            return out;
        }
    }
}
