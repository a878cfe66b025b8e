package io.tsdb4j.head;

import io.tsdb4j.CommitResult;
import io.tsdb4j.SampleIterator;
import io.tsdb4j.SampleRejectedException;
import io.tsdb4j.labels.Labels;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Writers commit to series that go idle and come back while the head is truncated again and again (idle
 * series lose all their chunks and are removed, so a commit may find its series gone and re-attach it) and a
 * reader queries. Nothing accepted at or after the last truncation point may be missing, every series stays in
 * time order, and nothing deadlocks.
 */
class TruncationRaceTest {
    @Test
    void commitsRacingTruncationsLoseNothingNewerThanTheTruncationPoint() throws Exception {
        Head head = new Head(100, null);
        int seriesCount = 40;
        List<Labels> series = new ArrayList<>();
        for (int i = 0; i < seriesCount; i++) series.add(Labels.of("__name__", "m", "s", Integer.toString(i)));
        AtomicLong clock = new AtomicLong(1_000);
        AtomicLong lastMint = new AtomicLong(Long.MIN_VALUE);
        AcceptedSamples accepted = new AcceptedSamples(seriesCount);
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();

        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
            int id = w;
            threads.add(new Thread(() -> {
                Random rnd = new Random(id);
                Map<Integer, Long> refs = new HashMap<>();
                try {
                    for (int k = 0; k < 2_000; k++) {
                        HeadAppender app = head.appender();
                        long t = clock.getAndIncrement();
                        List<Integer> appended = new ArrayList<>();
                        // A few series per batch, from a window that moves: the others go idle and get removed.
                        int base = (k / 200) * 7 % seriesCount;
                        for (int j = 0; j < 4; j++) {
                            int i = (base + rnd.nextInt(10)) % seriesCount;
                            if (appended.contains(i)) continue;
                            try {
                                Long ref = refs.get(i);
                                if (ref != null && rnd.nextBoolean()) {
                                    try {
                                        app.append(ref, t, t);
                                    } catch (IllegalArgumentException gone) { // removed by a truncation
                                        refs.put(i, app.append(series.get(i), t, t));
                                    }
                                } else {
                                    refs.put(i, app.append(series.get(i), t, t));
                                }
                                appended.add(i);
                            } catch (SampleRejectedException e) {
                                // another writer already committed a newer sample
                            }
                        }
                        // Sometimes hold the batch open, so a truncation can remove its idle series meanwhile.
                        if (rnd.nextInt(4) == 0) Thread.sleep(1);
                        accepted.record(app.commit(), appended, t);
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            }));
        }
        Thread truncator = new Thread(() -> {
            try {
                while (!stop.get()) {
                    long mint = clock.get() - 150;
                    head.truncateBefore(mint);
                    lastMint.set(mint);
                    Thread.sleep(1);
                }
            } catch (Throwable e) {
                errors.add(e);
            }
        });
        Thread reader = new Thread(() -> {
            try {
                while (!stop.get()) {
                    for (SeriesSnapshot s : head.select(Long.MIN_VALUE, Long.MAX_VALUE)) {
                        long prev = Long.MIN_VALUE;
                        for (SampleIterator it = s.iterator(Long.MIN_VALUE, Long.MAX_VALUE); it.next(); ) {
                            assertTrue(it.t() > prev, "time order in " + s.labels());
                            prev = it.t();
                        }
                    }
                }
            } catch (Throwable e) {
                errors.add(e);
            }
        });
        for (Thread t : threads) t.start();
        truncator.start();
        reader.start();
        for (Thread t : threads) t.join(60_000);
        stop.set(true);
        truncator.join(60_000);
        reader.join(60_000);
        if (!errors.isEmpty()) throw new AssertionError(errors.get(0));
        assertFalse(threads.stream().anyMatch(Thread::isAlive) || truncator.isAlive() || reader.isAlive(), "deadlock");
        assertTrue(head.stats().seriesCreated() > seriesCount, "series were removed and created again");

        long mint = lastMint.get();
        Map<Integer, TreeSet<Long>> stored = new HashMap<>();
        for (SeriesSnapshot s : head.select(mint, Long.MAX_VALUE)) {
            TreeSet<Long> ts = new TreeSet<>();
            for (SampleIterator it = s.iterator(mint, Long.MAX_VALUE); it.next(); ) ts.add(it.t());
            assertNull(stored.put(Integer.parseInt(s.labels().get("s")), ts), "two series with the labels of " + s.labels());
        }
        for (int i = 0; i < seriesCount; i++) {
            TreeSet<Long> want = new TreeSet<>(accepted.of(i).tailSet(mint));
            assertEquals(want, stored.getOrDefault(i, new TreeSet<>()), "series " + i + " at or after " + mint);
        }
    }

    /**
     * The interleaving the race above can only hit by chance, made deterministic: a truncation removes the series
     * of an open batch (new, so still empty; or idle, so all its chunks are old), and the commit must put its
     * samples into the series its labels name, also when a newer series took the labels meanwhile.
     */
    @Test
    void aSeriesRemovedWhileItsBatchIsOpenGetsItsSamples() throws Exception {
        Head head = new Head(100, null);
        Labels fresh = Labels.of("__name__", "fresh");
        Labels idle = Labels.of("__name__", "idle");
        Labels taken = Labels.of("__name__", "taken");
        HeadAppender first = head.appender();
        first.append(idle, 10, 1);
        first.commit();

        HeadAppender open = head.appender();
        open.append(fresh, 1_000, 2);
        open.append(idle, 1_000, 3);
        long takenRef = open.append(taken, 1_000, 4);
        assertEquals(3, head.truncateBefore(500), "all three series were empty or old");
        // Meanwhile another writer creates a new series for one of the labels.
        HeadAppender other = head.appender();
        long newRef = other.append(taken, 999, 5);
        assertNotEquals(takenRef, newRef);
        other.commit();
        CommitResult r = open.commit();
        assertEquals(3, r.accepted(), r.rejected().toString());

        Map<Labels, List<Long>> got = new HashMap<>();
        for (SeriesSnapshot s : head.select(Long.MIN_VALUE, Long.MAX_VALUE)) {
            List<Long> ts = new ArrayList<>();
            for (SampleIterator it = s.iterator(Long.MIN_VALUE, Long.MAX_VALUE); it.next(); ) ts.add(it.t());
            assertNull(got.put(s.labels(), ts), "two series for " + s.labels());
        }
        assertEquals(List.of(1_000L), got.get(fresh));
        assertEquals(List.of(1_000L), got.get(idle));
        assertEquals(List.of(999L, 1_000L), got.get(taken));
    }

    /**
     * A batch held open across two truncations, the first of which removes its series, still commits into the
     * series its reference names.
     */
    @Test
    void aBatchOpenAcrossTwoTruncationsStillFindsItsSeries() throws Exception {
        Head head = new Head(100, null);
        Labels gone = Labels.of("__name__", "gone");
        Labels busy = Labels.of("__name__", "busy");
        HeadAppender first = head.appender();
        first.append(gone, 10, 1);
        first.commit();

        HeadAppender open = head.appender();
        long goneRef = open.append(gone, 1_000, 2);
        assertEquals(1, head.truncateBefore(500), "the old series is removed while the batch is open");
        HeadAppender between = head.appender();
        between.append(busy, 600, 3); // another series keeps the head busy; the open batch's series stays gone
        between.commit();
        head.truncateBefore(550);

        CommitResult r = open.commit();
        assertEquals(1, r.accepted(), r.rejected().toString());
        List<Long> ts = new ArrayList<>();
        for (SeriesSnapshot s : head.select(Long.MIN_VALUE, Long.MAX_VALUE)) {
            if (!s.labels().equals(gone)) continue;
            assertEquals(goneRef, s.ref(), "the batch's reference names the series again");
            for (SampleIterator it = s.iterator(Long.MIN_VALUE, Long.MAX_VALUE); it.next(); ) ts.add(it.t());
        }
        assertEquals(List.of(1_000L), ts);
    }
}
