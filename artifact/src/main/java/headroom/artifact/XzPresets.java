package headroom.artifact;

import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.UnsupportedOptionsException;

/** xz's "-N -e" presets, which XZ for Java has no flag for. */
public final class XzPresets {

    private XzPresets() {
    }

    /**
     * {@code xz -9e}: preset 9 with liblzma's extreme tweak for it (lzma_lzma_preset in
     * lzma_encoder_presets.c): binary-tree match finder, nice length 273, search depth 512.
     */
    public static LZMA2Options nineExtreme() {
        try {
            LZMA2Options options = new LZMA2Options(LZMA2Options.PRESET_MAX);
            options.setMode(LZMA2Options.MODE_NORMAL);
            options.setMatchFinder(LZMA2Options.MF_BT4);
            options.setNiceLen(LZMA2Options.NICE_LEN_MAX);
            options.setDepthLimit(512);
            return options;
        } catch (UnsupportedOptionsException e) {
            throw new IllegalStateException("xz -9e options rejected by XZ for Java", e);
        }
    }
}
