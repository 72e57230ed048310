package headroom.pipelines.train;

import headroom.pipelines.Headroom;
import headroom.pipelines.conf.ConfException;
import headroom.training.TrainConfig;
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
