package io.tsdb4j.head;

import io.tsdb4j.CommitResult;
import io.tsdb4j.SampleRejectedException;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * For concurrency tests whose series are labelled {@code s="<index>"} and whose batches append one timestamp:
 * per series, the timestamps commits accepted.
 */
final class AcceptedSamples {
    private final List<TreeSet<Long>> bySeries = new ArrayList<>();

    AcceptedSamples(int series) {
        for (int i = 0; i < series; i++) bySeries.add(new TreeSet<>());
    }

    /** Records a commit of timestamp t to the series appended; checks its accepted count against its rejections. */
    void record(CommitResult r, List<Integer> appended, long t) {
        List<Integer> ok = new ArrayList<>(appended);
        for (SampleRejectedException e : r.rejected()) ok.remove(Integer.valueOf(e.series().get("s")));
        assertEquals(ok.size(), r.accepted());
        for (int i : ok) {
            synchronized (bySeries.get(i)) {
                bySeries.get(i).add(t);
            }
        }
    }

    /** The timestamps series i accepted (read after the writers finished). */
    TreeSet<Long> of(int i) {
        return bySeries.get(i);
    }
}
