package headroom.scoring.predict;

/**
 * What the law needs to know about one model, all of it measured by the sweep or the trainer
 * (docs/PREDICTOR.md). Counts are raw (parameters, tokens); {@link VocabLaw} scales them to
 * Tao et al.'s units.
 */
public record LawInput(
        double nonVocabParameters,   // trunk + norms/conditioning: every parameter but the embedding/head (Tao's Nnv)
        double vocabParameters,      // embedding/head parameters: V*d tied, 2*V*d untied, V*r + r*d factorized (Tao's V*d)
        double tokensPerByte,        // val tokens per byte of the candidate's tokenizer: how many tokens each byte pays for
        double trainingTokens) {     // tokens the model was (or will be) trained on (Tao's D)

    public LawInput {
        positive("nonVocabParameters", nonVocabParameters);
        positive("vocabParameters", vocabParameters);
        positive("tokensPerByte", tokensPerByte);
        positive("trainingTokens", trainingTokens);
    }

    private static void positive(String name, double v) {
        if (!(v > 0) || !Double.isFinite(v)) throw new IllegalArgumentException(name + " must be a finite number > 0, got " + v);
    }
}
