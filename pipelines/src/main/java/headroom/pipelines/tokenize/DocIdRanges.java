package headroom.pipelines.tokenize;

import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaRDD;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Splits a split's documents into contiguous doc_id ranges of (nearly) equal document counts,
 * with boundaries that depend only on the set of doc_ids. Spark's own range partitioning samples
 * with a seed derived from the RDD id, so its shard boundaries (and the shard files) would change
 * from run to run; these do not. Partition p holds the doc_ids in {@code [bounds[p-1], bounds[p])}.
 */
final class DocIdRanges extends Partitioner {

    private final int partitions;
    private final List<String> bounds; // ascending, at most partitions - 1

    DocIdRanges(int partitions, List<String> bounds) {
        if (partitions < 1) throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
        if (bounds.size() >= partitions) {
            throw new IllegalArgumentException("bounds must number fewer than partitions = " + partitions + ", got " + bounds.size());
        }
        this.partitions = partitions;
        this.bounds = new ArrayList<>(bounds);
    }

    /**
     * The doc_ids at positions {@code floor(p * N / partitions)}, p = 1 .. partitions-1, of the
     * sorted ids: the first document of each partition but the first.
     */
    static DocIdRanges of(JavaRDD<String> docIds, int partitions) {
        long count = docIds.count();
        List<String> bounds = new ArrayList<>(docIds.sortBy(id -> id, true, partitions).zipWithIndex()
                .filter(t -> isFirstOfPartition(t._2(), count, partitions))
                .keys().collect());
        Collections.sort(bounds);
        return new DocIdRanges(partitions, bounds);
    }

    /** Whether some p in [1, partitions) has floor(p * count / partitions) == index; the smallest candidate is p = max(1, ceil(index * partitions / count)). */
    static boolean isFirstOfPartition(long index, long count, int partitions) {
        long p = Math.max(1, (index * partitions + count - 1) / count);
        return p >= 1 && p < partitions && p * count / partitions == index;
    }

    @Override
    public int numPartitions() {
        return partitions;
    }

    /** The number of bounds at or below the id (doc_ids are distinct, and so are the bounds). */
    @Override
    public int getPartition(Object key) {
        int i = Collections.binarySearch(bounds, (String) key);
        return i >= 0 ? i + 1 : -i - 1;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DocIdRanges d && d.partitions == partitions && d.bounds.equals(bounds);
    }

    @Override
    public int hashCode() {
        return 31 * partitions + bounds.hashCode();
    }
}
