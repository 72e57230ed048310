package headroom.pipelines.notebooks;

import org.apache.spark.sql.SparkSession;
import scala.tools.nsc.Settings;
import scala.tools.nsc.interpreter.IMain;
import scala.tools.nsc.interpreter.Results;
import scala.tools.nsc.interpreter.shell.ReplReporterImpl;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * Runs %spark paragraphs the way Zeppelin's Spark interpreter does: Scala source interpreted by
 * the Scala 2.13 REPL, with the session bound as {@code spark}.
 */
final class ScalaParagraphs implements AutoCloseable {

    private final IMain repl;
    private final StringWriter output = new StringWriter();

    ScalaParagraphs(SparkSession spark) {
        Settings settings = new Settings();
        // Under surefire java.class.path is a manifest-only booter jar; this property holds the real test classpath.
        settings.classpath().value_$eq(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        settings.usejavacp().value_$eq(Boolean.TRUE);
        repl = new IMain(settings, new ReplReporterImpl(settings, new PrintWriter(output, true)));
        Results.Result bound = repl.bind("spark", "org.apache.spark.sql.SparkSession", spark,
                scala.collection.immutable.List$.MODULE$.empty());
        if (!(bound instanceof Results.Success$)) throw new IllegalStateException("cannot bind spark: " + output);
    }

    /** Interprets one paragraph; throws with the REPL's output when it does not compile or fails. */
    void run(String title, String code) {
        int before = output.getBuffer().length();
        Results.Result r = repl.interpret(code);
        if (!(r instanceof Results.Success$)) {
            throw new AssertionError("paragraph '" + title + "' failed (" + r + "):\n" + output.getBuffer().substring(before));
        }
    }

    /** Interprets a paragraph that must fail, as Zeppelin shows it: what the REPL printed. */
    String runFailing(String title, String code) {
        int before = output.getBuffer().length();
        Results.Result r = repl.interpret(code);
        if (r instanceof Results.Success$) throw new AssertionError("paragraph '" + title + "' was expected to fail");
        return output.getBuffer().substring(before);
    }

    String output() {
        return output.toString();
    }

    @Override
    public void close() {
        repl.close();
    }
}
