package headroom.pipelines.score;

import headroom.scoring.AllocationTarget;
import headroom.pipelines.Headroom;
import headroom.pipelines.conf.ConfException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AllocationTargetTest {

    @Test
    void targetsResolveToBytesPerModel() {
        assertEquals(1_000_000, AllocationTarget.parse("cap").bytes(1_000_000, 800_000));
        assertEquals(600_000, AllocationTarget.parse("600000").bytes(1_000_000, 800_000));
        assertEquals(480_000, AllocationTarget.parse("60%").bytes(1_000_000, 800_000));
        assertEquals(List.of("cap", "600000", "62.5pct"), List.of(AllocationTarget.parse("cap").label(), AllocationTarget.parse("600000").label(),
                AllocationTarget.parse("62.5%").label()));
    }

    @Test
    void aBadTargetNamesTheKeyAndTheAllowedForms() {
        for (String bad : List.of("full", "0", "-5", "0.5%", "150%", "1e6")) {
            ConfException e = assertThrows(ConfException.class, () -> ScoreConf.from(Headroom.conf(null, "score.allocate.targets=[\"" + bad + "\"]")));
            assertTrue(e.getMessage().contains("headroom.score.allocate.targets") && e.getMessage().contains("\"cap\""), e.getMessage());
        }
        assertEquals(List.of(AllocationTarget.parse("cap"), AllocationTarget.parse("60%")),
                ScoreConf.from(Headroom.conf(null, "score.allocate.targets=[cap, \"60%\", cap]")).allocateTargets(), "distinct, in conf order");
        assertTrue(ScoreConf.from(Headroom.conf(null)).allocateTargets().isEmpty(), "off by default");
    }
}
