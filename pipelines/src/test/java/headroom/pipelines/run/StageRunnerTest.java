package headroom.pipelines.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StageRunnerTest {

    /** A stage that takes a known time to write its one output. */
    private record Slow(long millis) implements Stage {
        @Override
        public StageSpec spec() {
            return new StageSpec("slow", "code", "conf", Map.of(), List.of("out.txt"));
        }

        @Override
        public Map<String, Object> execute(StageContext context) throws Exception {
            Thread.sleep(millis);
            Files.writeString(context.staging("out.txt"), "done");
            return Map.of("millis", millis);
        }
    }

    @Test
    void theRecordedSecondsCoverTheStagesWork(@TempDir Path run) throws Exception {
        StageRunner.Outcome outcome = new StageRunner(run, false).run(new Slow(300));
        assertTrue(outcome.record().seconds() >= 0.3, "recorded " + outcome.record().seconds() + " s for a 0.3 s stage");
        assertEquals("done", Files.readString(run.resolve("out.txt")));
        assertEquals(StageRecord.Status.SUCCEEDED, Manifest.load(run).stage("slow").orElseThrow().status());
    }
}
