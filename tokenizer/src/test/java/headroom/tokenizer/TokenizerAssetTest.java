package headroom.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

class TokenizerAssetTest {
    private static final BpeModel MODEL = new BpeModel(List.of("<|bos|>", "<|eos|>"),
            List.of(new MergeStep(' ', 't', 258, 9), new MergeStep(258, 'h', 259, 4)));

    private static byte[] xz(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (XZOutputStream xz = new XZOutputStream(out, new LZMA2Options())) {
            xz.write(raw);
        }
        return out.toByteArray();
    }

    @Test
    void roundTripKeepsSpecialsAndMerges() {
        byte[] asset = TokenizerAsset.encode(MODEL);
        BpeModel back = TokenizerAsset.decode(asset);
        assertEquals(new BpeModel(MODEL.specialTokens(),
                List.of(new MergeStep(' ', 't', 258, 0), new MergeStep(258, 'h', 259, 0))), back);
        assertArrayEquals(asset, TokenizerAsset.encode(MODEL), "deterministic");
    }

    @Test
    void rawLayoutIsTheDocumentedOne() throws IOException {
        byte[] raw = {'H', 'R', 'T', 'K', 1, 0, 1, 0, 7, '<', '|', 'b', 'o', 's', '|', '>', 0, 0, 0, 1, 0, ' ', 0, 't'};
        BpeModel model = TokenizerAsset.decode(xz(raw));
        assertEquals(new BpeModel(List.of("<|bos|>"), List.of(new MergeStep(' ', 't', 257, 0))), model);
    }

    @Test
    void corruptAssetsAreClearErrors() throws IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TokenizerAsset.decode(new byte[] {1, 2, 3}));
        assertTrue(e.getMessage().startsWith("tokenizer asset is not valid xz data: "), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> TokenizerAsset.decode(xz(new byte[] {'G', 'G', 'U', 'F', 1})));
        assertEquals("tokenizer asset must start with HRTK, got [71, 71, 85, 70]", e.getMessage());

        byte[] asset = TokenizerAsset.encode(MODEL);
        e = assertThrows(IllegalArgumentException.class,
                () -> TokenizerAsset.decode(Arrays.copyOf(asset, asset.length - 8)));
        assertTrue(e.getMessage().startsWith("tokenizer asset is not valid xz data: "), e.getMessage());

        byte[] cut = {'H', 'R', 'T', 'K', 1, 0, 1, 0, 7, '<', '|', 'b'};
        e = assertThrows(IllegalArgumentException.class, () -> TokenizerAsset.decode(xz(cut)));
        assertEquals("tokenizer asset is truncated", e.getMessage());
    }
}
