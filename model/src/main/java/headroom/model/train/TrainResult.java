package headroom.model.train;

/** What one training run did. {@code stopReason}: maxSteps, maxTokens, maxSeconds or signal. */
public record TrainResult(
        long steps,
        long tokens,
        double seconds,
        double finalTrainLoss,
        double finalValBpb,
        double bestValBpb,
        String device,
        double peakHeapMb,
        double peakRssMb,
        String stopReason) {
}
