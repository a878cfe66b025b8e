package io.tsdb4j.head;

import io.tsdb4j.SampleIterator;
import io.tsdb4j.SampleRejectedException;
import io.tsdb4j.labels.Labels;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Commits apply in parallel; these writers all append to the same few series with timestamps from one clock, so
 * commits that logged a series keep racing the ones logged before them. Every series must still hold exactly the
 * samples its commits accepted, in time order (each chunk decodes; XOR encoding cannot represent going back),
 * and a reader must never see part of a batch.
 */
class ParallelCommitTest {
    private static final int SERIES = 100;

    @Test
    void sharedSeriesAreAppendedInLogOrderAndBatchesStayWhole() throws Exception {
        Head head = new Head(3_600_000, null);
        List<Labels> series = new ArrayList<>();
        for (int i = 0; i < SERIES; i++) series.add(Labels.of("__name__", "m", "s", Integer.toString(i)));
        AtomicLong clock = new AtomicLong(1);
        // Per series, the timestamps whose commit accepted them (the value is the timestamp).
        AcceptedSamples accepted = new AcceptedSamples(SERIES);
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();

        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            writers.add(new Thread(() -> {
                try {
                    for (int k = 0; k < 1500; k++) {
                        HeadAppender app = head.appender();
                        long t = clock.getAndIncrement();
                        List<Integer> appended = new ArrayList<>();
                        for (int i = 0; i < SERIES; i++) {
                            try {
                                app.append(series.get(i), t, t);
                                appended.add(i);
                            } catch (SampleRejectedException e) {
                                // an earlier check already saw a newer sample
                            }
                        }
                        accepted.record(app.commit(), appended, t);
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            }));
        }
        // A reader: within one snapshot, a timestamp seen in one series and accepted by another must be in both
        // (checked after the fact, when acceptance is known); here it checks order and records what it saw.
        List<Map<Integer, TreeSet<Long>>> seen = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try {
                while (!stop.get()) {
                    Map<Integer, TreeSet<Long>> view = new java.util.HashMap<>();
                    for (SeriesSnapshot s : head.select(Long.MIN_VALUE, Long.MAX_VALUE)) {
                        TreeSet<Long> ts = new TreeSet<>();
                        long prev = Long.MIN_VALUE;
                        for (SampleIterator it = s.iterator(Long.MIN_VALUE, Long.MAX_VALUE); it.next(); ) {
                            assertTrue(it.t() > prev, "timestamps increase in " + s.labels());
                            assertEquals((double) it.t(), it.v(), "value of " + it.t() + " in " + s.labels());
                            prev = it.t();
                            ts.add(it.t());
                        }
                        view.put(Integer.parseInt(s.labels().get("s")), ts);
                    }
                    if (seen.size() < 2000) seen.add(view);
                }
            } catch (Throwable e) {
                errors.add(e);
            }
        });
        reader.start();
        for (Thread t : writers) t.start();
        for (Thread t : writers) t.join();
        stop.set(true);
        reader.join();
        if (!errors.isEmpty()) throw new AssertionError(errors.get(0));

        for (SeriesSnapshot s : head.select(Long.MIN_VALUE, Long.MAX_VALUE)) {
            TreeSet<Long> got = new TreeSet<>();
            for (SampleIterator it = s.iterator(Long.MIN_VALUE, Long.MAX_VALUE); it.next(); ) got.add(it.t());
            assertEquals(accepted.of(Integer.parseInt(s.labels().get("s"))), got, "samples of " + s.labels());
        }
        for (Map<Integer, TreeSet<Long>> view : seen) {
            // The batch of timestamp t is whole: every series that accepted t shows it iff any series shows it.
            TreeSet<Long> shown = new TreeSet<>();
            view.values().forEach(shown::addAll);
            for (long t : shown) {
                for (int i = 0; i < SERIES; i++) {
                    if (accepted.of(i).contains(t)) {
                        assertTrue(view.containsKey(i) && view.get(i).contains(t), "batch " + t + " seen in part (series " + i + ")");
                    }
                }
            }
        }
        assertTrue(head.stats().commitWaits() > 0, "commits raced on shared series (else this test proves nothing)");
    }
}
