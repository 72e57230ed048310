package headroom.pipelines.conf;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import headroom.pipelines.prep.PrepConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeadroomConfTest {

    @Test
    void aTypoIsNamedWithTheKeyItProbablyMeant() {
        ConfException e = assertThrows(ConfException.class,
                () -> HeadroomConf.fromUser(ConfigFactory.parseString("headroom.prep.split.val-fracton = 0.1")));
        assertTrue(e.getMessage().contains("headroom.prep.split.val-fracton"), e.getMessage());
        assertTrue(e.getMessage().contains("did you mean headroom.prep.split.val-fraction?"), e.getMessage());
    }

    @Test
    void keysOutsideHeadroomAreRejectedToo() {
        ConfException e = assertThrows(ConfException.class, () -> HeadroomConf.fromUser(ConfigFactory.parseString("prep.inputs = [a]")));
        assertTrue(e.getMessage().contains("unknown conf key: prep.inputs"), e.getMessage());
    }

    @Test
    void sparkSettingsPassThrough() {
        Config c = HeadroomConf.fromUser(ConfigFactory.parseString("headroom.spark.conf { \"spark.sql.shuffle.partitions\" = 8 }"));
        assertEquals(8, c.getInt("headroom.spark.conf.\"spark.sql.shuffle.partitions\""));
    }

    @Test
    void aBadEnumValueListsTheAllowedOnes() {
        Config c = HeadroomConf.fromUser(ConfigFactory.parseString("headroom.prep { inputs = [a], txt-mode = paragraphs }"));
        ConfException e = assertThrows(ConfException.class, () -> PrepConf.from(c));
        assertEquals("conf key headroom.prep.txt-mode = \"paragraphs\" is not allowed: use one of lines, blank-lines", e.getMessage());
    }

    @Test
    void aWrongTypeNamesTheKeyAndTheRule() {
        Config c = HeadroomConf.fromUser(ConfigFactory.parseString("headroom.prep { inputs = [a], max-doc-bytes = lots }"));
        ConfException e = assertThrows(ConfException.class, () -> PrepConf.from(c));
        assertTrue(e.getMessage().startsWith("conf key headroom.prep.max-doc-bytes = \"lots\" is not allowed"), e.getMessage());
    }

    @Test
    void overridesWinOverTheFileWhichWinsOverTheReference(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("run.conf");
        Files.writeString(file, "headroom.prep { inputs = [x.txt], split.seed = 5, max-doc-bytes = 10 }");
        Config c = HeadroomConf.load(file, List.of("prep.split.seed=7"));
        PrepConf p = PrepConf.from(c);
        assertEquals(7, p.split().seed());
        assertEquals(10, p.maxDocBytes());
        assertEquals(0.05, p.split().valFraction(), "from reference.conf");
    }

    @Test
    void aMissingConfFileIsNamed() {
        ConfException e = assertThrows(ConfException.class, () -> HeadroomConf.load(Path.of("/nope/run.conf"), List.of()));
        assertTrue(e.getMessage().contains("/nope/run.conf"), e.getMessage());
    }

    @Test
    void emptyInputsAreAnError() {
        ConfException e = assertThrows(ConfException.class, () -> PrepConf.from(HeadroomConf.fromUser(ConfigFactory.empty())));
        assertTrue(e.getMessage().contains("headroom.prep.inputs is empty"), e.getMessage());
    }
}
