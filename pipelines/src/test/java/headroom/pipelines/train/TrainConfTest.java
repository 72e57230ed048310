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
        assertEquals(List.of(16, 128, 50, 2000L, 100, 200, 200, 10, 1337L), List.of(t.batchSize(), t.seqLen(), t.warmupSteps(),
                t.maxSteps(), t.evalInterval(), t.evalDocuments(), t.checkpointInterval(), t.logInterval(), t.seed()));
        assertEquals(List.of(3e-3, 3e-4, 0.1, 0.9, 0.95, 1e-8, 1.0), List.of(t.lr(), t.minLr(), t.weightDecay(), t.beta1(), t.beta2(),
                t.eps(), t.gradClip()));
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
        TrainConf flops = TrainConf.from(Headroom.conf(null, "train.budget.protocol=flops", "train.budget.flops=1e9"));
        assertEquals((long) (1e9 / TrainConf.flopsPerToken(model)), flops.forRun(candidate(0.4417, 113), model, 1).maxTokens());
        TrainConf seconds = TrainConf.from(Headroom.conf(null, "train.budget.protocol=seconds", "train.budget.seconds=90", "train.max-steps=400"));
        TrainConfig bySeconds = seconds.forRun(candidate(0.4417, 113), model, 1);
        assertEquals(List.of(0L, 400L, 90.0), List.of(bySeconds.maxTokens(), bySeconds.maxSteps(), bySeconds.maxSeconds()));
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
        assertMessage("headroom.train.min-lr", "must be at most headroom.train.lr = 0.001", "train.lr=1e-3", "train.min-lr=1e-2");
        assertMessage("headroom.train.batch-size", "must be between 1 and", "train.batch-size=0");
        assertMessage("headroom.train.candidates", "list at least one candidate", "train.candidates=[]");
    }

    private static void assertMessage(String key, String rule, String... overrides) {
        ConfException e = assertThrows(ConfException.class, () -> TrainConf.from(Headroom.conf(null, overrides)));
        assertTrue(e.getMessage().contains(key) && e.getMessage().contains(rule), e.getMessage());
    }
}
