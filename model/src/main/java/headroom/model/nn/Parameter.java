package headroom.model.nn;

import ai.djl.ndarray.NDArray;
import headroom.core.TensorClass;

/**
 * One trainable tensor of a model: its stable name (the key in weight files and artifacts), its
 * tensor class (for the byte budget and the precision plan) and its array, updated in place.
 */
public record Parameter(String name, TensorClass tensorClass, NDArray array) {

    /** Decoupled weight decay applies to matrices only, never to gains or per-loop vectors. */
    public boolean decays() {
        return tensorClass != TensorClass.NORM_CONDITIONING;
    }

    public long size() {
        return array.size();
    }
}
