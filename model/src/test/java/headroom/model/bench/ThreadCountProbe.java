package headroom.model.bench;

import ai.djl.Device;
import headroom.core.TokenStream;
import headroom.core.io.FileTrees;
import headroom.core.io.Sha256;
import headroom.model.TrainConfig;
import headroom.model.nn.LmModel;
import headroom.model.nn.ModelFiles;
import headroom.model.train.EvalResult;
import headroom.model.train.Evaluator;
import headroom.model.train.FisherDiagonal;
import headroom.model.train.TrainLog;
import headroom.model.train.TrainResult;
import headroom.model.train.Trainer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A short training on text-like token streams, printed to the last bit (issue 25, item 2): documents of
 * uneven length, so evaluation ends on a short last window and batches that are not full, as real
 * corpora do (random one-window documents never show it); every step's loss, the weights' sha256, the
 * val bits per byte after training, an evaluation at batch 5 of the same weights, and a hash of the
 * Fisher diagonal from single windows. Run at 1 and 2 torch threads, the outputs must be equal.
 * Same flags as {@link TrainingBench}.
 */
public final class ThreadCountProbe {

    private ThreadCountProbe() {
    }

    public static void main(String[] args) throws IOException {
        TrainingBench.Options options = TrainingBench.Options.parse(args);
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(options.threads()));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        TrainConfig train = options.trainConfig();
        int[] lengths = TrainingBench.tokenByteLengths(options.vocabSize());
        TokenStream val = textLike(options, 7, 3);
        Path modelDir = Files.createTempDirectory("thread-count-probe");
        try {
            TrainResult result = new Trainer().run(options.modelConfig(), train, textLike(options, 300, 1), val, lengths, modelDir, false);
            List<String> log = Files.readAllLines(modelDir.resolve(TrainLog.FILE)); // step, tokens, train_loss, val_loss, ...
            for (String line : log.subList(1, log.size())) {
                String[] cells = line.split(",", -1);
                System.out.println("row " + cells[0] + " train_loss " + cells[2] + " val_loss " + cells[3]);
            }
            System.out.println("weights " + Sha256.of(modelDir.resolve(ModelFiles.WEIGHTS_FILE)));
            System.out.println("val_bpb " + Double.toHexString(result.finalValBpb()));
            try (LmModel model = LmModel.load(modelDir, Device.cpu())) {
                EvalResult odd = new Evaluator(options.seqLen(), 5).evaluate(model, val, lengths);
                System.out.println("eval_batch5 " + Double.toHexString(odd.sumNats()));
                FisherDiagonal.Sensitivity s = FisherDiagonal.estimate(model, textLike(options, 20, 5), options.seqLen(), 6);
                System.out.println("fisher " + hash(s.fisher()) + " gradient " + hash(s.gradient()));
            }
        } finally {
            FileTrees.deleteTree(modelDir);
        }
    }

    /** {@code documents} documents of 1 to 3.5 windows' worth of tokens, {@code [BOS] + ids}, one byte per id. */
    static TokenStream textLike(TrainingBench.Options options, int documents, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] sizes = new int[documents];
        int total = 0;
        for (int d = 0; d < documents; d++) total += sizes[d] = random.nextInt(options.seqLen() / 2, options.seqLen() * 7 / 2);
        char[] tokens = new char[total];
        long[] docStart = new long[documents];
        int[] docBytes = new int[documents];
        int at = 0;
        for (int d = 0; d < documents; d++) {
            docStart[d] = at;
            docBytes[d] = sizes[d] - 1;
            tokens[at] = 0;
            // a skewed, repetitive distribution, closer to text than uniform ids
            for (int i = 1; i < sizes[d]; i++) tokens[at + i] = (char) (1 + (int) Math.min(options.vocabSize() - 2, random.nextExponential() * 40));
            at += sizes[d];
        }
        return new TokenStream(tokens, docStart, docBytes);
    }

    private static String hash(Map<String, float[]> values) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, float[]> e : values.entrySet()) {
                md.update(e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                ByteBuffer b = ByteBuffer.allocate(4 * e.getValue().length);
                b.asFloatBuffer().put(e.getValue());
                md.update(b);
            }
            return java.util.HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
