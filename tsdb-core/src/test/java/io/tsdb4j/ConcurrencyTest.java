package io.tsdb4j;

import io.tsdb4j.labels.Labels;
import io.tsdb4j.labels.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Writers append batches (new and existing series, some shared between writers so commits race and reject),
 * commit or roll back, while readers query. Checked against a model built from what each commit reported:
 * the final state holds exactly the accepted samples of committed batches (none lost, none duplicated, none
 * rolled back), and every reader observation shows each batch entirely or not at all.
 */
class ConcurrencyTest {
    @TempDir
    Path dir;

    record Key(Labels series, long t) {}

    @Test
    void batchesAreAtomicAndNothingIsLostOrDuplicated() throws Exception {
        long seed = Long.getLong("concurrency.seed", System.nanoTime());
        System.out.println("ConcurrencyTest seed=" + seed);
        int writers = 4, readers = 2, batchesPerWriter = 300;
        AtomicLong clock = new AtomicLong(1);
        Map<Long, Set<Key>> acceptedByBatch = new ConcurrentHashMap<>();
        List<Map<Key, Double>> observations = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        List<Throwable> errors = new CopyOnWriteArrayList<>();

        try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults().withSyncPolicy(SyncPolicy.NONE))) {
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int id = w;
                threads.add(new Thread(() -> {
                    Random rnd = new Random(seed + id);
                    try {
                        for (int i = 0; i < batchesPerWriter; i++) {
                            long batch = id * 1_000_000L + i;
                            long t = clock.getAndIncrement();
                            Appender app = db.appender();
                            Set<Key> appended = new HashSet<>();
                            int n = 1 + rnd.nextInt(6);
                            for (int k = 0; k < n; k++) {
                                Labels l = rnd.nextBoolean()
                                        ? Labels.of("__name__", "shared", "i", Integer.toString(rnd.nextInt(5)))
                                        : Labels.of("__name__", "own", "w", Integer.toString(id), "i", Integer.toString(rnd.nextInt(50)));
                                try {
                                    app.append(l, t, batch);
                                    appended.add(new Key(l, t));
                                } catch (SampleRejectedException e) {
                                    assertEquals(l, e.series());
                                }
                            }
                            if (rnd.nextInt(5) == 0) {
                                app.rollback();
                            } else {
                                CommitResult r = app.commit();
                                for (SampleRejectedException e : r.rejected()) appended.remove(new Key(e.series(), e.timestamp()));
                                acceptedByBatch.put(batch, appended);
                            }
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                }));
            }
            for (int r = 0; r < readers; r++) {
                threads.add(new Thread(() -> {
                    try {
                        while (!stop.get()) {
                            Map<Key, Double> seen = new HashMap<>();
                            try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
                                TestUtil.read(q, Matcher.regex("__name__", ".+")).forEach((l, samples) ->
                                        samples.forEach(s -> seen.put(new Key(l, s.t()), s.v())));
                            }
                            observations.add(seen);
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (int i = 0; i < writers; i++) threads.get(i).join();
            stop.set(true);
            for (Thread th : threads) th.join();
            assertEquals(List.of(), errors);

            Map<Key, Double> expected = new HashMap<>();
            acceptedByBatch.forEach((batch, keys) -> keys.forEach(k -> assertNull(expected.put(k, (double) batch),
                    "two accepted samples for " + k)));
            Map<Key, Double> actual = new HashMap<>();
            TestUtil.readAll(db).forEach((l, samples) -> samples.forEach(s -> assertNull(actual.put(new Key(l, s.t()), s.v()),
                    "duplicate sample " + l + " @" + s.t())));
            assertEquals(expected, actual, "final state equals the accepted samples of committed batches");
        }

        assertTrue(observations.size() > 0);
        for (Map<Key, Double> seen : observations) {
            Map<Long, Integer> visiblePerBatch = new HashMap<>();
            for (Double v : seen.values()) visiblePerBatch.merge(v.longValue(), 1, Integer::sum);
            visiblePerBatch.forEach((batch, n) -> {
                Set<Key> accepted = acceptedByBatch.get(batch);
                assertNotNull(accepted, "a reader saw batch " + batch + " which was never committed");
                assertEquals(accepted.size(), (int) n, "a reader saw batch " + batch + " half applied (seed " + seed + ")");
            });
        }
    }
}
