package headroom.pipelines.sweep;

import com.typesafe.config.Config;
import headroom.pipelines.conf.ConfException;
import headroom.pipelines.conf.ConfReader;

/**
 * The context T every candidate trains and is evaluated at (DESIGN.md, "Experiments a reviewer
 * accepts"). By default the same context in bytes: T = round(context bytes x the vocabulary's
 * train-split tokens per byte), so a smaller vocabulary gets more tokens and every candidate sees the
 * same text. {@code headroom.model.seq-len > 0} asks for the same T in tokens for every vocabulary instead.
 */
public record ContextLength(int contextBytes, int seqLen) {

    public static final String BYTES = "bytes";
    public static final String TOKENS = "tokens";

    public ContextLength {
        if (seqLen == 0 && contextBytes < 1) {
            throw ConfException.badValue(RecipeConf.SECTION + ".context-bytes", contextBytes,
                    "must be >= 1 when " + RecipeConf.SECTION + ".seq-len is 0 (the bytes-matched context)");
        }
    }

    public static ContextLength from(Config config) {
        ConfReader r = new ConfReader(config, RecipeConf.SECTION);
        return new ContextLength(r.intIn("context-bytes", 0, 1 << 24), r.intIn("seq-len", 0, 1 << 16));
    }

    /** "bytes" (T from context-bytes, the default) or "tokens" (seq-len for every vocabulary). */
    public String protocol() {
        return seqLen > 0 ? TOKENS : BYTES;
    }

    /** T for a vocabulary whose training text has {@code tokensPerByte} tokens per byte; at least 8. */
    public int tokens(double tokensPerByte) {
        if (!(tokensPerByte > 0)) throw new IllegalArgumentException("tokensPerByte must be > 0, got " + tokensPerByte);
        return seqLen > 0 ? seqLen : Math.max(8, (int) Math.round(contextBytes * tokensPerByte));
    }
}
