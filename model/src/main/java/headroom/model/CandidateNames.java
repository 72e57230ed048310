package headroom.model;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names Headroom gives what it sizes, trains and scores. Folders, manifest stages, table rows and
 * artifact files are keyed by them, and a run is recognised as up to date by them, so they are formatted
 * here and nowhere else; each one parses back.
 * <pre>
 * vocabulary   v{V}                               v1024                              a tokenizer's id and folder, a measurement's key
 * head         tied | untied | fact{r}            fact64                             the head as a name part
 * selector     v{V}-{head}                        v1024-fact64                       a sweep row per vocabulary and head
 * candidate    v{V}-{head}-d{d}-{U}x{L}-m{m}      v1024-tied-d192-2x2-m2             a model shape the sweep sized
 * model        {candidate}-s{seed}                v1024-tied-d192-2x2-m2-s1337       one training of a candidate
 * study run    c{cap}-{candidate}-s{seed}         c600000-v512-tied-d224-1x2-m3-s1   one training of a study cell
 * artifact     {model}__{plan}.hra                ...-s1337__emb-int8_clip-std4.hra  a model under a precision plan
 *              {model}__alloc-{target}.hra        ...-s1337__alloc-60pct.hra         under an allocated plan
 * </pre>
 * A candidate the cap leaves no model for is named by its selector. Head modes come as their labels
 * ({@link ModelConfig.HeadMode#label()}), so that this class, which every stage reaches through the run
 * directory's layout, does not make every stage's code fingerprint cover the model's configuration.
 */
public final class CandidateNames {

    /** {@code ModelConfig.HeadMode.FACTORIZED.label()}, the one mode whose name part carries its rank. */
    private static final String FACTORIZED = "factorized";
    private static final String ARTIFACT_EXTENSION = ".hra";
    private static final String PLAN_SEPARATOR = "__";
    private static final String ALLOCATED = "alloc-";
    private static final Pattern VOCAB = Pattern.compile("v(\\d+)");
    private static final Pattern CANDIDATE = Pattern.compile("v(\\d+)-(tied|untied|fact(\\d+))-d(\\d+)-(\\d+)x(\\d+)-m(\\d+)");
    private static final Pattern MODEL = Pattern.compile("(.+)-s(-?\\d+)");
    private static final Pattern STUDY_RUN = Pattern.compile("c(\\d+)-(.+)-s(-?\\d+)");

    private CandidateNames() {
    }

    /** {@code v{V}}. */
    public static String vocab(int vocabSize) {
        return "v" + vocabSize;
    }

    /** The size a {@link #vocab} name holds; empty for any other name. */
    public static OptionalInt parseVocab(String name) {
        Matcher m = VOCAB.matcher(name);
        return m.matches() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
    }

    /** {@code tied}, {@code untied} or {@code fact{r}}, from a head mode's label. */
    public static String head(String headMode, int headRank) {
        return headMode.equals(FACTORIZED) ? "fact" + headRank : headMode;
    }

    /** {@code v{V}-{head}}, e.g. v1024-tied or v4096-fact64. */
    public static String selector(int vocabSize, String headMode, int headRank) {
        return vocab(vocabSize) + "-" + head(headMode, headRank);
    }

    /** What a candidate name says; its {@code toString()} is the name. */
    public record Candidate(int vocabSize, String headMode, int headRank, int dModel, int uniqueBlocks, int loops, int mlpMult) {
        @Override
        public String toString() {
            return candidate(this);
        }
    }

    /** {@code v{V}-{head}-d{d}-{U}x{L}-m{m}}: vocabulary, head, width, unique blocks x loops, MLP multiple. */
    public static String candidate(Candidate c) {
        return selector(c.vocabSize(), c.headMode(), c.headRank()) + "-d" + c.dModel() + "-" + c.uniqueBlocks() + "x" + c.loops() + "-m" + c.mlpMult();
    }

    /** The parts of a {@link #candidate} name; empty for a name not made by it (a selector, a model trained by hand). */
    public static Optional<Candidate> parseCandidate(String name) {
        Matcher m = CANDIDATE.matcher(name);
        if (!m.matches()) return Optional.empty();
        boolean factorized = m.group(3) != null;
        return Optional.of(new Candidate(Integer.parseInt(m.group(1)), factorized ? FACTORIZED : m.group(2), factorized ? Integer.parseInt(m.group(3)) : 0,
                Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)), Integer.parseInt(m.group(6)), Integer.parseInt(m.group(7))));
    }

    /** {@code {candidate}-s{seed}}: one folder, stage and report per (candidate, seed). */
    public static String model(String candidate, long seed) {
        return candidate + "-s" + seed;
    }

    /** A {@link #model} name's candidate and seed. */
    public record Model(String candidate, long seed) {
    }

    public static Optional<Model> parseModel(String name) {
        Matcher m = MODEL.matcher(name);
        return m.matches() ? Optional.of(new Model(m.group(1), Long.parseLong(m.group(2)))) : Optional.empty();
    }

    /** {@code c{cap}-{candidate}-s{seed}}: a study run's folder and stage name. */
    public static String studyRun(long capBytes, String candidate, long seed) {
        return "c" + capBytes + "-" + model(candidate, seed);
    }

    /** A {@link #studyRun} name's cap, candidate and seed. */
    public record StudyRun(long capBytes, String candidate, long seed) {
    }

    public static Optional<StudyRun> parseStudyRun(String name) {
        Matcher m = STUDY_RUN.matcher(name);
        return m.matches() ? Optional.of(new StudyRun(Long.parseLong(m.group(1)), m.group(2), Long.parseLong(m.group(3)))) : Optional.empty();
    }

    /** {@code {model}__{plan}.hra}, the plan spec made file-name safe: emb=int8,clip=std:4 -> emb-int8_clip-std4. */
    public static String artifact(String model, String planSpec) {
        String safe = planSpec.replace('=', '-').replace(',', '_').replace(":", "").replaceAll("[^A-Za-z0-9._-]", "_");
        return model + PLAN_SEPARATOR + safe + ARTIFACT_EXTENSION;
    }

    /** {@code {model}__alloc-{target}.hra}: the artifact the byte allocator wrote for a target such as 60pct. */
    public static String allocatedArtifact(String model, String target) {
        return model + PLAN_SEPARATOR + ALLOCATED + target + ARTIFACT_EXTENSION;
    }

    /** An artifact name's model and plan part ({@code alloc-60pct} for an allocated one). */
    public record Artifact(String model, String plan) {
        public boolean allocated() {
            return plan.startsWith(ALLOCATED);
        }
    }

    /** Split at the last allocation marker, else at the first separator (a model name has none); empty without either. */
    public static Optional<Artifact> parseArtifact(String file) {
        String name = file.endsWith(ARTIFACT_EXTENSION) ? file.substring(0, file.length() - ARTIFACT_EXTENSION.length()) : file;
        int at = name.lastIndexOf(PLAN_SEPARATOR + ALLOCATED);
        if (at < 0) at = name.indexOf(PLAN_SEPARATOR);
        return at < 0 ? Optional.empty() : Optional.of(new Artifact(name.substring(0, at), name.substring(at + PLAN_SEPARATOR.length())));
    }
}
