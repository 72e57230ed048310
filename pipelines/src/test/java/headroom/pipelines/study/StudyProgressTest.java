package headroom.pipelines.study;

import headroom.pipelines.sweep.SweepRows.Candidate;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StudyProgressTest {

    private static StudyDesign.Run run(String name, long trunk, long head) {
        Candidate c = new Candidate(name, "", "", 512, "tied", 0, 64, 2, 2, 2, "emb=int8", trunk + head, head, trunk, 1, 0.99, true, "", 0,
                0.4, 0.4, 64, 160, 1);
        return new StudyDesign.Run(100_000, c, 700_000, 1, name);
    }

    @Test
    void theEtaScalesTheTrainedRunsTimeByTheRemainingCost() {
        // costs per token: (trunk x loops + head) = 300 and 600
        StudyProgress p = new StudyProgress(List.of(run("a", 100, 100), run("b", 250, 100), run("c", 250, 100)), 2, r -> 1000);
        assertTrue(p.line(0, "a").endsWith("ETA after the first trained run"), p.line(0, "a"));
        p.finished(0, false, 30);
        // 30 s for cost 300: the two remaining cost 600 each -> 120 s
        assertTrue(p.line(1, "b").startsWith("study 2/3 b | 1 done (0 already finished)"), p.line(1, "b"));
        assertTrue(p.line(1, "b").endsWith("ETA 2m00s"), p.line(1, "b"));
        p.finished(1, true, 0.1);
        assertTrue(p.line(2, "c").contains("2 done (1 already finished)") && p.line(2, "c").endsWith("ETA 1m00s"), p.line(2, "c"));
    }

    @Test
    void durations() {
        assertEquals("0m59s", StudyProgress.duration(59.4));
        assertEquals("2h05m", StudyProgress.duration(7500));
    }
}
