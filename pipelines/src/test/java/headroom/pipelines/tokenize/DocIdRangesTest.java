package headroom.pipelines.tokenize;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DocIdRangesTest {

    @Test
    void aBoundOpensItsPartition() {
        DocIdRanges r = new DocIdRanges(3, List.of("c", "f"));
        assertEquals(List.of(0, 1, 1, 2, 2), List.of("a", "c", "d", "f", "z").stream().map(r::getPartition).toList());
    }

    @Test
    void firstsOfPartitionsSplitTheCountEvenly() {
        // 10 documents in 3 partitions: floor(10/3) = 3 and floor(20/3) = 6 open partitions 1 and 2
        assertEquals(List.of(3L, 6L), LongStream.range(0, 10).filter(i -> DocIdRanges.isFirstOfPartition(i, 10, 3)).boxed().toList());
        // 2 documents in 3 partitions: floor(2/3) = 0 and floor(4/3) = 1; partition 0 stays empty
        assertEquals(List.of(0L, 1L), LongStream.range(0, 2).filter(i -> DocIdRanges.isFirstOfPartition(i, 2, 3)).boxed().toList());
    }

    @Test
    void moreBoundsThanPartitionsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new DocIdRanges(2, List.of("a", "b")));
    }
}
