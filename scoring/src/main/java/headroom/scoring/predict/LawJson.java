package headroom.scoring.predict;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import headroom.core.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code law.json}: a fitted law's parameters, bootstrap replicates and provenance, written atomically
 * into the run directory (like {@code artifacts/bytes-per-param.json}) and read back by the next sweep.
 * Doubles are written by Jackson's shortest round-trip form, so {@code load(save(law))} predicts the same
 * numbers bit for bit.
 */
public final class LawJson {

    /** The form's name and version: a file of another form is refused, not misread. */
    public static final String FORM = "tao2024-approach3-bpb/1";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private LawJson() {
    }

    public static void save(FittedLaw law, Path file) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("form", FORM);
        doc.put("formula", "bpb = E + (tokens_per_byte / ln 2) * (A1 / Nnv^alpha1 + A2 / (V d)^alpha2 + B / D^beta)");
        doc.put("units", "Nnv and V d in millions of parameters, D in billions of training tokens (Tao et al. 2024)");
        doc.put("basis", law.basis());
        doc.put("parameters", parameters(law.law()));
        doc.put("runs", law.runs());
        doc.put("candidates", law.candidates());
        doc.put("corpus", law.corpus());
        doc.put("tokenizer", law.tokenizer());
        doc.put("huber_delta", finiteOrNull(law.huberDelta()));
        doc.put("rmse", finiteOrNull(law.rmse()));
        doc.put("bootstrap_seed", law.bootstrapSeed());
        doc.put("bootstrap_failures", law.bootstrapFailures());
        doc.put("bootstrap", law.bootstrap().stream().map(LawJson::parameters).toList());
        AtomicFiles.write(file, JSON.writeValueAsBytes(doc));
    }

    /** Reads a law.json; fails naming the file and what is wrong with it. */
    public static FittedLaw load(Path file) {
        JsonNode doc;
        try {
            doc = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the fitted law " + file + ": " + e.getMessage(), e);
        }
        if (doc == null || !FORM.equals(doc.path("form").asText())) {
            throw new IllegalArgumentException(file + " is not a fitted law of form " + FORM + " (form: '" + (doc == null ? "" : doc.path("form").asText())
                    + "'); fit one with 'headroom study'");
        }
        try {
            List<VocabLaw> bootstrap = new ArrayList<>();
            for (JsonNode b : doc.path("bootstrap")) bootstrap.add(law(b, file));
            return new FittedLaw(doc.path("basis").asText(), law(doc.path("parameters"), file), bootstrap, doc.path("runs").asInt(),
                    doc.path("candidates").asInt(), doc.path("corpus").asText(), doc.path("tokenizer").asText(),
                    number(doc.path("huber_delta")), number(doc.path("rmse")), doc.path("bootstrap_seed").asLong(), doc.path("bootstrap_failures").asInt());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> parameters(VocabLaw l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("E", l.floorBpb());
        m.put("A1", l.a1());
        m.put("alpha1", l.alpha1());
        m.put("A2", l.a2());
        m.put("alpha2", l.alpha2());
        m.put("B", l.b());
        m.put("beta", l.beta());
        return m;
    }

    private static VocabLaw law(JsonNode n, Path file) {
        double[] v = new double[7];
        String[] keys = {"E", "A1", "alpha1", "A2", "alpha2", "B", "beta"};
        for (int i = 0; i < keys.length; i++) {
            JsonNode x = n.path(keys[i]);
            if (!x.isNumber()) throw new IllegalArgumentException("law parameter " + keys[i] + " is missing or not a number in " + file);
            v[i] = x.asDouble();
        }
        return new VocabLaw(v[0], v[1], v[2], v[3], v[4], v[5], v[6]);
    }

    private static Object finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static double number(JsonNode n) {
        return n.isNumber() ? n.asDouble() : Double.NaN;
    }
}
