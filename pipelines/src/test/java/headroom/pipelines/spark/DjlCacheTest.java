package headroom.pipelines.spark;

import org.junit.jupiter.api.Test;
import scala.Option;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DjlCacheTest {

    @Test
    void theExecutorEnvKeyReachesTheDriverUnlessTheDriverNamesItsOwn() {
        assertEquals(Optional.of("/data/djl"), DjlCache.resolve(Option.apply("/data/djl"), null, null), "local[*]: tasks run in the driver");
        assertEquals(Optional.empty(), DjlCache.resolve(Option.apply("/data/djl"), "/env/djl", null), "DJL reads the environment first");
        assertEquals(Optional.empty(), DjlCache.resolve(Option.apply("/data/djl"), null, "/prop/djl"), "-DDJL_CACHE_DIR is the user's choice");
        assertEquals(Optional.empty(), DjlCache.resolve(Option.empty(), null, null), "nothing set: DJL's default");
        assertEquals(Optional.empty(), DjlCache.resolve(Option.apply(" "), null, null));
    }
}
