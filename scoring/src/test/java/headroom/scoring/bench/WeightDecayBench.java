package headroom.scoring.bench;

import headroom.core.TensorClass;
import headroom.core.TokenStream;
import headroom.core.WeightTensor;
import headroom.artifact.*;
import headroom.artifact.quant.*;
import headroom.tokenizer.*;
import headroom.tokenizer.shards.*;
import headroom.model.*;
import headroom.model.nn.ModelFiles;
import headroom.model.train.*;
import java.io.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.*;
import org.tukaani.xz.XZInputStream;

/**
 * Weight decay against weight RMS and compressed bytes (BENCHMARKS.md, issue 11): one byte-level model
 * (d=128, 2 blocks x 2 loops, 300 steps of 16 x 64 tokens) per decay on the first 2,700 lines of the demo
 * text, val on the next 300; prints the matrices' RMS and the bytes per parameter of int8 and int5 (std:4)
 * containers. Run: mvn -o -q -pl artifact -am test-compile, then
 * java -cp artifact/target/test-classes:artifact/target/classes:model/target/classes:tokenizer/target/classes:DEPS
 * headroom.artifact.bench.WeightDecayBench data/demo/austen.txt.xz 0 0.1 0.5
 */
public final class WeightDecayBench {
    public static void main(String[] args) throws Exception {
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new XZInputStream(Files.newInputStream(Path.of(args[0]))), StandardCharsets.UTF_8))) {
            String l; while (lines.size() < 3000 && (l = r.readLine()) != null) lines.add(l);
        }
        BpeModel bytes = new BpeModel(List.of("<|bos|>"), List.of());
        TokenStream train = encode(lines.subList(0, 2700), bytes), val = encode(lines.subList(2700, 3000), bytes);
        PrecisionPlan int8 = PrecisionPlan.parse("emb=int8,attn=int8,mlp=int8,norm=fp16");
        PrecisionPlan int5 = PrecisionPlan.parse("emb=int5,attn=int5,mlp=int5,norm=fp16,clip=std:4");
        for (int i = 1; i < args.length; i++) {
            double wd = Double.parseDouble(args[i]);
            ModelConfig model = new ModelConfig(257, 128, 4, 2, 2, 2, 2, ModelConfig.Activation.RELU2, ModelConfig.HeadMode.TIED, 0,
                    ModelConfig.Conditioning.LOOP_GAIN, false, 10_000, 30, 64);
            TrainConfig config = new TrainConfig(16, 64, 3e-3, 3e-4, 20, TrainConfig.Decay.COSINE, wd, 0.9, 0.95, 1e-8, 1.0, 300, 0, 0, 300, 100,
                    1000, 50, 1337, "cpu", 2);
            Path dir = Files.createTempDirectory("weight-decay-" + wd);
            TrainResult result = new Trainer().run(model, config, train, val, bytes.tokenByteLengths(), dir, false);
            List<WeightTensor> w = ModelFiles.readWeights(dir);
            double sq = 0; long n = 0;
            for (WeightTensor t : w) if (t.shape().length == 2 && t.tensorClass() != TensorClass.NORM_CONDITIONING) { for (float v : t.values()) sq += (double) v * v; n += t.values().length; }
            long params = w.stream().mapToLong(WeightTensor::size).sum();
            double b8 = Compression.smallest(ContainerWriter.write(new ContainerHeader("{}", ""), w.stream().map(t -> Quantizer.quantize(t, int8.precisionFor(t))).toList())).bytes().length / (double) params;
            double b5 = Compression.smallest(ContainerWriter.write(new ContainerHeader("{}", ""), w.stream().map(t -> Quantizer.quantize(t, int5.precisionFor(t))).toList())).bytes().length / (double) params;
            System.out.printf(Locale.ROOT, "RESULT wd %.2f | steps %d | val bpb %.4f | matrices rms %.5f | int8 %.4f B/param | int5 std:4 %.4f B/param | %s%n",
                    wd, result.steps(), result.finalValBpb(), Math.sqrt(sq / n), b8, b5, result.stopReason());
        }
    }

    static TokenStream encode(List<String> docs, BpeModel tok) {
        BpeEncoder enc = new BpeEncoder(tok);
        List<Character> t = new ArrayList<>();
        long[] starts = new long[docs.size()]; int[] db = new int[docs.size()];
        for (int d = 0; d < docs.size(); d++) { starts[d] = t.size(); db[d] = docs.get(d).getBytes(StandardCharsets.UTF_8).length; t.add((char) tok.bosId()); for (int id : enc.encode(docs.get(d))) t.add((char) id); }
        char[] c = new char[t.size()]; for (int i = 0; i < c.length; i++) c[i] = t.get(i);
        return new TokenStream(c, starts, db);
    }
}
