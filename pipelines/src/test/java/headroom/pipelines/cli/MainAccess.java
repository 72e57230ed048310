package headroom.pipelines.cli;

/** Lets tests in other packages run the CLI in-process and read its exit code. */
public final class MainAccess {

    private MainAccess() {
    }

    public static int run(String... argv) {
        return Main.run(argv);
    }
}
