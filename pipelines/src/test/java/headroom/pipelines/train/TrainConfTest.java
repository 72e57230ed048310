package headroom.pipelines.train;

import headroom.pipelines.Headroom;
import headroom.pipelines.conf.ConfException;
import headroom.model.TrainConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainConfTest {

    @Test
    void theReferenceDefaultsWithSeqLenFromTheModelSection() {
        TrainConf conf = TrainConf.from(Headroom.conf(null, "model.seq-len=128"));
        assertEquals(List.of("v1024-tied"), conf.candidates());
        TrainConfig t = conf.train();
        assertEquals(List.of(16, 128, 2000L, 100, 200, 200, 10, 1337L), List.of(t.batchSize(), t.seqLen(),
                t.maxSteps(), t.evalInterval(), t.evalDocuments(), t.checkpointInterval(), t.logInterval(), t.seed()));
        assertEquals(List.of(3e-3, 0.1, 0.9, 0.95, 1e-8, 1.0), List.of(t.lr(), t.weightDecay(), t.beta1(), t.beta2(), t.eps(), t.gradClip()));
        assertEquals(3e-4, t.minLr(), 1e-15);
        assertEquals(List.of(0.05, 0.1), List.of(conf.warmupFraction(), conf.minLrFraction()));
        assertEquals(new TrainConf.LrPilotConf(List.of(1e-3, 3e-3, 1e-2), 30, 100), conf.lrPilot());
        assertEquals(new TrainConf.Convergence(0.1, 0.01), conf.convergence());
        assertEquals(List.of(TrainConf.Protocol.BYTES), conf.budget().protocols());
        assertEquals(TrainConfig.Decay.COSINE, t.decay());
        assertEquals("auto", t.device());
    }

    private static headroom.pipelines.sweep.SweepRows.Candidate candidate(double trainTokensPerByte, int seqLen) {
        return new headroom.pipelines.sweep.SweepRows.Candidate("c", "", "", 512, "tied", 0, 64, 2, 2, 2, "emb=int8", 0, 0, 0, 0, 0.99, true, "",
                0, trainTokensPerByte, trainTokensPerByte, seqLen, seqLen / trainTokensPerByte, 0);
    }

    /** Bytes-matched: each vocabulary gets bytes x its tokens per byte tokens, its own T, and the fewest steps that spend them. */
    @Test
    void theBytesProtocolBuysEachVocabularyTheSameText() {
        TrainConf conf = TrainConf.from(Headroom.conf(null, "train.budget.bytes=1000000", "train.batch-size=8", "train.seeds=3"));
        assertEquals(List.of(1337L, 1338L, 1339L), conf.seeds());
        headroom.model.ModelConfig model = new headroom.model.ModelConfig(512, 64, 2, 1, 2, 2, 2, headroom.model.ModelConfig.Activation.RELU2,
                headroom.model.ModelConfig.HeadMode.TIED, 0, headroom.model.ModelConfig.Conditioning.LOOP_GAIN, false, 10000, 30, 113);
        TrainConfig small = conf.forRun(candidate(0.4417, 113), model, 1338);
        assertEquals(List.of(113, 441_700L, 489L, 1338L), List.of(small.seqLen(), small.maxTokens(), small.maxSteps(), small.seed()),
                "441,700 tokens in steps of 8 x 113 = 904: 489 steps");
        TrainConfig large = conf.forRun(candidate(0.3126, 80), model.withLoops(2), 1338);
        assertEquals(List.of(80, 312_600L, 489L), List.of(large.seqLen(), large.maxTokens(), large.maxSteps()),
                "the same bytes and context in bytes: about as many steps");
        assertEquals("bytes 1000000", conf.protocolLabel());
        TrainConf tokens = TrainConf.from(Headroom.conf(null, "train.budget.protocol=tokens", "train.budget.tokens=9040", "train.batch-size=8"));
        assertEquals(10L, tokens.forRun(candidate(0.4417, 113), model, 1).maxSteps());
        assertEquals(Math.round(0.05 * 489), small.warmupSteps(), "warmup-fraction of the run's steps");
        assertEquals(0.1 * small.lr(), small.minLr(), 1e-15, "the floor: min-lr-fraction of the peak");
        TrainConf seconds = TrainConf.from(Headroom.conf(null, "train.budget.protocol=seconds", "train.budget.seconds=90", "train.max-steps=400"));
        TrainConfig bySeconds = seconds.forRun(candidate(0.4417, 113), model, 1);
        assertEquals(List.of(0L, 400L, 90.0), List.of(bySeconds.maxTokens(), bySeconds.maxSteps(), bySeconds.maxSeconds()));
    }

    private static headroom.model.ModelConfig model(int vocabSize, int dModel, int loops, int seqLen) {
        return new headroom.model.ModelConfig(vocabSize, dModel, 2, 1, 1, loops, 4, headroom.model.ModelConfig.Activation.RELU2,
                headroom.model.ModelConfig.HeadMode.TIED, 0, headroom.model.ModelConfig.Conditioning.LOOP_GAIN, false, 10000, 30, seqLen);
    }

    /** FLOPs-matched: every arm spends the common FLOPs budget within one step's FLOPs; auto is the mean of the bytes-matched FLOPs. */
    @Test
    void theFlopsProtocolGivesEveryArmTheSameFlopsWithinOneStep() {
        TrainConf conf = TrainConf.from(Headroom.conf(null, "train.budget.protocol=[bytes, flops]", "train.budget.bytes=1000000",
                "train.batch-size=8"));
        // A: V = 2048 (T = 80); B: V = 512 with A's trunk (T = 113); C: V = 512, a wider trunk looped three times
        List<TrainConf.Arm> arms = List.of(new TrainConf.Arm(candidate(0.3126, 80), model(2048, 64, 2, 80)),
                new TrainConf.Arm(candidate(0.4417, 113), model(512, 64, 2, 113)), new TrainConf.Arm(candidate(0.4417, 113), model(512, 128, 3, 113)));
        double[] bytesFlops = new double[arms.size()];
        double mean = 0;
        for (int i = 0; i < arms.size(); i++) {
            TrainConf.Arm a = arms.get(i);
            TrainConfig bytes = conf.forRun(a.candidate(), a.model(), 1, TrainConf.Protocol.BYTES, 0);
            bytesFlops[i] = bytes.maxSteps() * bytes.tokensPerStep() * TrainConf.flopsPerToken(a.model(), a.candidate().seqLen());
            mean += bytesFlops[i] / arms.size();
        }
        assertTrue(bytesFlops[2] > 2 * bytesFlops[1], "bytes-matched, the wider looped trunk spends far more FLOPs: " + java.util.Arrays.toString(bytesFlops));
        double flops = conf.commonFlops(arms);
        assertEquals(mean, flops, 1e-6 * mean, "auto: the mean of the bytes-matched FLOPs");
        for (TrainConf.Arm a : arms) {
            TrainConfig run = conf.forRun(a.candidate(), a.model(), 1, TrainConf.Protocol.FLOPS, flops);
            double perStep = run.tokensPerStep() * TrainConf.flopsPerToken(a.model(), a.candidate().seqLen());
            double spent = run.maxSteps() * perStep;
            assertTrue(Math.abs(spent - flops) <= perStep, a.model().vocabSize() + " d" + a.model().dModel() + ": " + spent + " FLOPs against " + flops);
            assertEquals(run.maxSteps() * run.tokensPerStep(), run.maxTokens(), "the token budget is whole steps");
        }
        assertEquals(2e12, TrainConf.from(Headroom.conf(null, "train.budget.protocol=flops", "train.budget.flops=2e12")).commonFlops(arms));
        assertEquals(List.of("v512-s7", "v512-s7-flops"), List.of(conf.modelName("v512", 7, TrainConf.Protocol.BYTES),
                conf.modelName("v512", 7, TrainConf.Protocol.FLOPS)), "the first protocol listed keeps the plain name");
        assertTrue(conf.protocolLabel(TrainConf.Protocol.FLOPS, flops).matches("flops \\d\\.\\d\\de\\+\\d+"), conf.protocolLabel(TrainConf.Protocol.FLOPS, flops));
    }

    @Test
    void oneStringIsAListOfOne() {
        assertEquals(List.of("top:3"), TrainConf.from(Headroom.conf(null, "train.candidates=\"top:3\"")).candidates());
    }

    @Test
    void zeroThreadsMeansOnePerCore() {
        assertEquals(Runtime.getRuntime().availableProcessors(), TrainConf.from(Headroom.conf(null)).train().threads());
        assertEquals(3, TrainConf.from(Headroom.conf(null, "train.threads=3")).train().threads());
    }

    @Test
    void badValuesAreNamed() {
        assertMessage("headroom.train.decay", "use one of cosine, linear", "train.decay=step");
        assertMessage("headroom.train.device", "use one of auto, cpu, gpu", "train.device=tpu");
        assertMessage("headroom.train.budget.protocol", "use one of", "train.budget.protocol=[bytes, watts]");
        assertMessage("headroom.train.budget.protocol", "list each protocol once", "train.budget.protocol=[bytes, bytes]");
        assertMessage("headroom.train.budget.primary", "must be one of the protocols trained", "train.budget.protocol=[bytes, tokens]",
                "train.budget.primary=flops");
        assertEquals(TrainConf.Protocol.TOKENS, TrainConf.from(Headroom.conf(null, "train.budget.protocol=tokens")).budget().primary(),
                "a single protocol is the primary one");
        assertMessage("headroom.train.lr-pilot.grid", "every learning rate must be in (0, 10]", "train.lr-pilot.grid=[1e-3, -1]");
        assertMessage("headroom.train.batch-size", "must be between 1 and", "train.batch-size=0");
        assertMessage("headroom.train.candidates", "list at least one candidate", "train.candidates=[]");
    }

    private static void assertMessage(String key, String rule, String... overrides) {
        ConfException e = assertThrows(ConfException.class, () -> TrainConf.from(Headroom.conf(null, overrides)));
        assertTrue(e.getMessage().contains(key) && e.getMessage().contains(rule), e.getMessage());
    }
}
