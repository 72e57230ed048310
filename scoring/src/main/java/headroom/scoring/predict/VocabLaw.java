package headroom.scoring.predict;

/**
 * The parametric law of post-roundtrip bits per byte (docs/PREDICTOR.md): Tao et al. 2024, "Scaling
 * Laws with Vocabulary", approach 3, carried from per-token to per-byte loss:
 * <pre>
 *   bpb = E + (tokensPerByte / ln 2) * ( A1 / Nnv^alpha1 + A2 / (V d)^alpha2 + B / D^beta )
 * </pre>
 * Tao et al. fit {@code Lu = -E + A1/Nnv^a1 + A2/(Vd)^a2 + B/D^b} to a unigram-normalised loss in nats
 * per token. The reducible terms are an excess loss paid on every token; spread over bytes it is paid
 * tokensPerByte times per byte, and nats become bits with 1/ln 2. What is left, E, is a floor in bits
 * per byte: the text's own entropy rate, which no tokenizer changes, so it carries no V.
 * <p>Units are Tao et al.'s, so their published coefficients plug in unchanged: Nnv and V*d in millions
 * of parameters, D in billions of tokens. Tao et al. tie alpha1 = beta; the fit here does not (issue 21): a
 * design that varies the training budget apart from the trunk identifies both, and tying them lets the
 * trunk's effect be read off the data's (or the other way round). The prior keeps their tie.
 */
public record VocabLaw(double floorBpb, double a1, double alpha1, double a2, double alpha2, double b, double beta) {

    /** Parameters the fit estimates: E, A1, alpha1, A2, alpha2, B, beta. */
    public static final int PARAMETERS = 7;

    static final double PARAMETERS_UNIT = 1e6;   // Tao et al. normalise Nnv and V*d by 10^6
    static final double TOKENS_UNIT = 1e9;       // and D by 10^9
    static final double LN2 = Math.log(2);

    /**
     * The prior: Tao et al.'s approach-3 coefficients as published in sail-sg/scaling-with-vocab,
     * optimal_Nv_predict.py ({@code A1, A2, B, E = 1.8313851559554126, 0.19584238398665638,
     * 2.1241123120064955, 5.5327846803337435; alpha1 = beta = 0.44660634152009615, alpha2 = 0.6707374679896795}).
     * Their E is the floor of a unigram-normalised per-token loss, not of bits per byte, so it does not
     * carry over: the prior's floor is 0 and its predictions rank candidates without forecasting the level.
     */
    public static final VocabLaw TAO_2024_PRIOR = new VocabLaw(0.0, 1.8313851559554126, 0.44660634152009615,
            0.19584238398665638, 0.6707374679896795, 2.1241123120064955, 0.44660634152009615);
    /** Tao et al.'s own E (nats per token of unigram-normalised loss), for their optimal-V formula. */
    static final double TAO_2024_E = 5.5327846803337435;

    public VocabLaw {
        for (double v : new double[]{floorBpb, a1, alpha1, a2, alpha2, b, beta}) {
            if (!Double.isFinite(v)) throw new IllegalArgumentException("law parameters must be finite, got " + java.util.Arrays.toString(new double[]{floorBpb, a1, alpha1, a2, alpha2, b, beta}));
        }
        if (a1 < 0 || a2 < 0 || b < 0) throw new IllegalArgumentException("A1, A2 and B must be >= 0, got " + a1 + ", " + a2 + ", " + b);
    }

    /** The law from the fit's parameter vector {@code [E, ln A1, alpha1, ln A2, alpha2, ln B, beta]}. */
    static VocabLaw of(double[] theta) {
        return new VocabLaw(theta[0], Math.exp(theta[1]), theta[2], Math.exp(theta[3]), theta[4], Math.exp(theta[5]), theta[6]);
    }

    /** The fit's parameter vector; inverse of {@link #of}. */
    double[] theta() {
        return new double[]{floorBpb, Math.log(a1), alpha1, Math.log(a2), alpha2, Math.log(b), beta};
    }

    /** Predicted post-roundtrip bits per byte. */
    public double predict(LawInput in) {
        return floorBpb + perByte(in) * reducibleNatsPerToken(in);
    }

    /** The three reducible terms, nats per token. */
    double reducibleNatsPerToken(LawInput in) {
        return trunkTerm(in) + headTerm(in) + dataTerm(in);
    }

    /** A1 / Nnv^alpha1, nats per token. */
    double trunkTerm(LawInput in) {
        return a1 * Math.pow(in.nonVocabParameters() / PARAMETERS_UNIT, -alpha1);
    }

    /** A2 / (V d)^alpha2, nats per token. */
    double headTerm(LawInput in) {
        return a2 * Math.pow(in.vocabParameters() / PARAMETERS_UNIT, -alpha2);
    }

    /** B / D^beta, nats per token. */
    double dataTerm(LawInput in) {
        return b * Math.pow(in.trainingTokens() / TOKENS_UNIT, -beta);
    }

    /** Nats per token to bits per byte. */
    static double perByte(LawInput in) {
        return in.tokensPerByte() / LN2;
    }
}
