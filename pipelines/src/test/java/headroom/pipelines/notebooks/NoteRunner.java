package headroom.pipelines.notebooks;

import headroom.pipelines.DemoSlice;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Runs notes the way Zeppelin's shared Spark interpreter does: one Scala REPL and one SparkSession
 * for every note and every run, each paragraph under its own job group
 * ({@code zeppelin|user|note|paragraph}, set before the paragraph as Zeppelin does), %spark through
 * the REPL and %spark.sql through spark.sql. After each paragraph it checks what Zeppelin relies on:
 * the paragraph's group is still set, and every Spark job it ran carried that group.
 */
public final class NoteRunner implements AutoCloseable {

    static final String GROUP = "spark.jobGroup.id";

    private final SparkSession spark;
    private final ScalaParagraphs scala;
    private final List<String> jobGroups = new CopyOnWriteArrayList<>();
    private final SparkListener listener = new SparkListener() {
        @Override
        public void onJobStart(SparkListenerJobStart job) {
            jobGroups.add(String.valueOf(job.properties().getProperty(GROUP)));
        }
    };

    public NoteRunner(SparkSession spark) {
        this.spark = spark;
        this.scala = new ScalaParagraphs(spark);
        spark.sparkContext().addSparkListener(listener);
    }

    /**
     * Runs every paragraph of the note in order ("Run all"). {@code settings} is Scala run right
     * after the first paragraph, redefining its values as a user editing it would (paths of the test).
     *
     * @return the number of %spark.sql paragraphs run (each must return rows)
     */
    public int runAll(String noteFile, String settings) throws Exception {
        ZeppelinNote note = ZeppelinNote.read(notebooks().resolve(noteFile));
        int sql = 0;
        boolean first = true;
        for (ZeppelinNote.Paragraph p : note.paragraphs()) {
            String group = "zeppelin|anonymous|" + note.id() + "|" + p.id();
            spark.sparkContext().setJobGroup(group, "Started by: anonymous", false);
            int jobsBefore = jobGroups.size();
            switch (p.interpreter()) {
                case "%spark" -> {
                    scala.run(p.title(), p.code());
                    if (first) scala.run("settings of the test", settings);
                    first = false;
                }
                case "%spark.sql" -> {
                    List<Row> rows = spark.sql(p.code()).collectAsList();
                    if (rows.isEmpty()) throw new AssertionError("paragraph '" + p.title() + "' returned no rows");
                    sql++;
                }
                case "%md" -> { }
                default -> throw new AssertionError("Zeppelin would run '" + p.title() + "' with " + p.interpreter()
                        + ", which this runner does not know");
            }
            spark.sparkContext().listenerBus().waitUntilEmpty();
            String after = spark.sparkContext().getLocalProperty(GROUP);
            if (!group.equals(after)) {
                throw new AssertionError("paragraph '" + p.title() + "' left the job group " + after + " instead of Zeppelin's " + group);
            }
            List<String> ran = new ArrayList<>(jobGroups.subList(jobsBefore, jobGroups.size()));
            for (String g : ran) {
                if (!g.equals(group)) {
                    throw new AssertionError("paragraph '" + p.title() + "' ran a Spark job in group " + g + ", not in Zeppelin's " + group
                            + ": Zeppelin would show no progress for it and could not cancel it");
                }
            }
        }
        spark.sparkContext().clearJobGroup();
        return sql;
    }

    static Path notebooks() {
        return DemoSlice.repoRoot().resolve("notebooks");
    }

    /** Scala source of a {@code java.nio.file.Path} value, for settings. */
    public static String path(Path value) {
        return "java.nio.file.Paths.get(" + literal(value) + ")";
    }

    /** Scala string literal of a value, for settings. */
    public static String literal(Object value) {
        return "\"" + value.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** {@code val name = scala} lines. */
    public static String settings(Map<String, String> vals) {
        StringBuilder s = new StringBuilder();
        vals.forEach((k, v) -> s.append("val ").append(k).append(" = ").append(v).append('\n'));
        return s.toString();
    }

    @Override
    public void close() {
        spark.sparkContext().removeSparkListener(listener);
        scala.close();
    }
}
