package headroom.pipelines.run;

import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A stage as Headroom starts it, in the manner of a Spark ML stage: built from its parameters alone (no I/O), then
 * {@link #plan planned}, which checks the parameters and the inputs (the conf, the manifest's upstream records, the
 * input files) before any Spark job starts, and gives the {@link Stage units} the {@link StageRunner} records, skips
 * when up to date and publishes; then {@link #run}. Most stages plan one unit; train plans one per (candidate, seed)
 * and runs them in the driver or as one Spark job.
 *
 * @param <U> the unit type
 */
public interface PipelineStage<U extends Stage> {

    /** "prep", "sweep", ...: what the logs and the Spark job descriptions call it. */
    String name();

    /**
     * Checks the stage's parameters and inputs against the run directory and returns its units; starts no Spark job.
     * A bad conf key or a missing input fails here, naming it ({@code ConfException}).
     */
    List<U> plan(RunLayout run, boolean force) throws Exception;

    /** Runs the planned units: by default one after another in the driver, each skipped when it is up to date. */
    default List<StageRunner.Outcome> run(StageRunner runner, List<U> units) throws Exception {
        return units.stream().map(runner::run).toList();
    }

    /**
     * Whether the work is long and in the driver (training, scoring), with no Spark job of its own that a cancelled
     * job group would fail: the caller then watches the group ({@code JobScope.watchForCancel}).
     */
    default boolean inDriver() {
        return false;
    }

    /** How a one-unit stage plans: its checks, then the unit. */
    @FunctionalInterface
    interface Planner<U extends Stage> {
        U plan(RunLayout run) throws Exception;
    }

    /** A stage of one unit whose work runs as Spark jobs. */
    static <U extends Stage> PipelineStage<U> of(String name, Planner<U> planner) {
        return new Single<>(name, () -> false, planner);
    }

    /** A stage of one unit whose work is long and in the driver when {@code inDriver} says so (see {@link #inDriver()}). */
    static <U extends Stage> PipelineStage<U> inDriverWhen(String name, BooleanSupplier inDriver, Planner<U> planner) {
        return new Single<>(name, inDriver, planner);
    }

    record Single<U extends Stage>(String name, BooleanSupplier driverOnly, Planner<U> planner) implements PipelineStage<U> {
        @Override
        public List<U> plan(RunLayout run, boolean force) throws Exception {
            return List.of(planner.plan(run));
        }

        @Override
        public boolean inDriver() {
            return driverOnly.getAsBoolean();
        }
    }
}
