package headroom.pipelines.notebooks;

import headroom.pipelines.DemoSlice;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Runs a note's code paths: %spark through the Scala REPL, %spark.sql through spark.sql; returns the SQL paragraphs run. */
public final class NoteRunner {

    private NoteRunner() {
    }

    /** @param placeholders text in the note to replace before running (paths users edit) */
    public static int run(SparkSession spark, String noteFile, Map<String, String> placeholders) throws Exception {
        ZeppelinNote note = ZeppelinNote.read(notebooks().resolve(noteFile));
        int sql = 0;
        try (ScalaParagraphs scala = new ScalaParagraphs(spark)) {
            for (ZeppelinNote.Paragraph p : note.paragraphs()) {
                String code = p.code();
                for (Map.Entry<String, String> e : placeholders.entrySet()) code = code.replace(e.getKey(), e.getValue());
                switch (p.interpreter()) {
                    case "%spark" -> scala.run(p.title(), code);
                    case "%spark.sql" -> {
                        List<Row> rows = spark.sql(code).collectAsList();
                        if (rows.isEmpty()) throw new AssertionError("paragraph '" + p.title() + "' returned no rows");
                        sql++;
                    }
                    default -> { }
                }
            }
        }
        return sql;
    }

    static Path notebooks() {
        return DemoSlice.repoRoot().resolve("notebooks");
    }
}
