package headroom.model.train;

import java.util.LinkedHashMap;
import java.util.Map;

/** The loop's counters: what a checkpoint must carry besides weights and moments. */
final class TrainState {

    long step;                 // optimizer steps done
    long windowIndex;          // next training window to draw
    long tokensSeen;           // training tokens consumed
    double secondsBefore;      // wall-clock seconds of earlier sessions of this run
    double bestValBpb = Double.NaN;
    double lastTrainLoss = Double.NaN;
    double lastValBpb = Double.NaN;

    /** The counters, with {@code seconds} the run's total wall-clock time so far. */
    Map<String, Object> toMap(double seconds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step", step);
        m.put("windowIndex", windowIndex);
        m.put("tokensSeen", tokensSeen);
        m.put("seconds", seconds);
        m.put("bestValBpb", Double.isNaN(bestValBpb) ? null : bestValBpb);
        m.put("lastTrainLoss", Double.isNaN(lastTrainLoss) ? null : lastTrainLoss);
        m.put("lastValBpb", Double.isNaN(lastValBpb) ? null : lastValBpb);
        return m;
    }

    static TrainState fromMap(Map<String, ?> m) {
        TrainState s = new TrainState();
        s.step = ((Number) m.get("step")).longValue();
        s.windowIndex = ((Number) m.get("windowIndex")).longValue();
        s.tokensSeen = ((Number) m.get("tokensSeen")).longValue();
        s.secondsBefore = ((Number) m.get("seconds")).doubleValue();
        s.bestValBpb = number(m.get("bestValBpb"));
        s.lastTrainLoss = number(m.get("lastTrainLoss"));
        s.lastValBpb = number(m.get("lastValBpb"));
        return s;
    }

    private static double number(Object o) {
        return o == null ? Double.NaN : ((Number) o).doubleValue();
    }
}
