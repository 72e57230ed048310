package headroom.pipelines.train;

import headroom.pipelines.spark.Progress;
import headroom.model.train.TrainLog;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The train stage's progress as the driver sees it, whichever process trains: every few seconds, one line per training
 * from the tail of its work dir's {@code train_log.csv} (step, tokens/s, ETA), and an ETA for the whole stage. Executors
 * log their own step lines to their own logs; this is the one readable view when several train at once.
 * <pre>
 * train: 1/4 done, 2 training, 1 waiting | stage eta 3m10s
 *   v512-tied-d64-1x2-s1337   step 120/400 | 41.2k tok/s | eta 2m05s
 * </pre>
 */
final class TrainProgress implements AutoCloseable {

    static final int EVERY_SECONDS = 15;

    private final List<TrainStage> stages;
    private final int atOnce;
    private final Set<String> done = ConcurrentHashMap.newKeySet();
    private final Progress timer;

    private TrainProgress(List<TrainStage> stages, int atOnce) {
        this.stages = List.copyOf(stages);
        this.atOnce = Math.max(1, atOnce);
        this.timer = Progress.every(EVERY_SECONDS, this::report);
    }

    static TrainProgress start(List<TrainStage> stages, int atOnce) {
        return new TrainProgress(stages, atOnce);
    }

    void done(TrainStage stage) {
        done.add(stage.name());
    }

    /** Where one training stands: the last trained step of its log and the speed there. */
    record Snapshot(long step, long horizon, double tokensPerSecond, double stepMs) {

        double etaSeconds() {
            return Math.max(0, horizon - step) * stepMs / 1000;
        }
    }

    String report() {
        List<String> lines = new ArrayList<>();
        double remaining = 0, eta = 0;
        int training = 0, waiting = 0;
        List<Double> stepMs = new ArrayList<>();
        List<TrainStage> notStarted = new ArrayList<>();
        for (TrainStage stage : stages) {
            String name = stage.modelName();
            if (done.contains(stage.name())) {
                lines.add(String.format(Locale.ROOT, "  %-28s done", name));
                continue;
            }
            Snapshot s = snapshot(stage.workDir().dir().resolve(TrainLog.FILE), stage.trainConfig().horizonSteps());
            if (s == null) {
                waiting++;
                notStarted.add(stage);
                lines.add(String.format(Locale.ROOT, "  %-28s waiting", name));
                continue;
            }
            training++;
            stepMs.add(s.stepMs());
            remaining += s.etaSeconds();
            eta = Math.max(eta, s.etaSeconds());
            lines.add(String.format(Locale.ROOT, "  %-28s step %d/%d | %.1fk tok/s | eta %s", name, s.step(), s.horizon(),
                    s.tokensPerSecond() / 1000, Progress.duration(s.etaSeconds())));
        }
        OptionalDouble meanStepMs = stepMs.stream().mapToDouble(Double::doubleValue).average();
        String stageEta = "-";
        if (meanStepMs.isPresent()) {
            // Not yet started: their horizon at the mean step time seen so far (a guess when their sizes differ).
            for (TrainStage s : notStarted) remaining += s.trainConfig().horizonSteps() * meanStepMs.getAsDouble() / 1000;
            stageEta = Progress.duration(Math.max(eta, remaining / atOnce));
        }
        lines.add(0, String.format(Locale.ROOT, "train: %d/%d done, %d training, %d waiting | stage eta %s", done.size(), stages.size(),
                training, waiting, stageEta));
        return String.join("\n", lines);
    }

    /** The last trained row of a growing {@code train_log.csv}, or null when there is none yet. */
    static Snapshot snapshot(Path log, long horizon) {
        if (!Files.isRegularFile(log)) return null;
        String tail;
        boolean cut;
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long from = Math.max(0, f.length() - 4096);
            byte[] bytes = new byte[(int) (f.length() - from)];
            f.seek(from);
            f.readFully(bytes);
            tail = new String(bytes, StandardCharsets.UTF_8);
            cut = from > 0; // the window starts mid-file: its first line may be a fragment
        } catch (IOException e) {
            return null; // replaced or removed between the check and the read: the next poll sees it
        }
        String[] lines = tail.split("\n");
        for (int i = lines.length - 1; i >= (cut ? 1 : 0); i--) {
            String[] cells = lines[i].split(",", -1);
            // step,tokens,train_loss,val_loss,val_bpb,lr,step_ms,tokens_per_s,...; a row without step_ms is an evaluation only
            if (cells.length < 8 || cells[6].isEmpty() || cells[0].equals("step")) continue;
            try {
                return new Snapshot(Long.parseLong(cells[0]) + 1, horizon, Double.parseDouble(cells[7]), Double.parseDouble(cells[6]));
            } catch (NumberFormatException e) {
                // the line being written
            }
        }
        return null;
    }

    @Override
    public void close() {
        timer.close();
    }
}
