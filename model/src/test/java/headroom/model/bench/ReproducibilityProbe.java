package headroom.model.bench;

import headroom.core.io.FileTrees;
import headroom.core.io.Sha256;
import headroom.model.TrainConfig;
import headroom.model.nn.ModelFiles;
import headroom.model.train.TrainLog;
import headroom.model.train.TrainResult;
import headroom.model.train.Trainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * One short training in a fresh process, printed so that two processes can be compared line by line
 * (issue 13): every step's train loss as logged, the sha256 of the final weights.bin, and the final
 * val bits per byte to the last bit. Same flags as {@link TrainingBench}.
 * <pre>
 * loss 0 6.23869991
 * ...
 * weights 3f1c...
 * val_bpb 8.98765432101234 (0x1.1f9add3b8f7e2p3)
 * </pre>
 */
public final class ReproducibilityProbe {

    private ReproducibilityProbe() {
    }

    public static void main(String[] args) throws IOException {
        TrainingBench.Options options = TrainingBench.Options.parse(args);
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(options.threads()));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        TrainConfig train = options.trainConfig();
        Path modelDir = Files.createTempDirectory("reproducibility-probe");
        try {
            TrainResult result = new Trainer().run(options.modelConfig(), train, TrainingBench.randomDocuments(options, 2048, 1),
                    TrainingBench.randomDocuments(options, 1, 2), TrainingBench.tokenByteLengths(options.vocabSize()), modelDir, false);
            printLosses(modelDir.resolve(TrainLog.FILE));
            System.out.println("weights " + Sha256.of(modelDir.resolve(ModelFiles.WEIGHTS_FILE)));
            System.out.println("val_bpb " + result.finalValBpb() + " (" + Double.toHexString(result.finalValBpb()) + ")");
        } finally {
            FileTrees.deleteTree(modelDir);
        }
    }

    private static void printLosses(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        List<String> header = Arrays.asList(lines.get(0).split(",", -1));
        int step = header.indexOf("step");
        int loss = header.indexOf("train_loss");
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            if (!cells[loss].isEmpty()) System.out.println("loss " + cells[step] + " " + cells[loss]);
        }
    }
}
