package io.tsdb4j.head;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

class PhaseLockTest {
    /**
     * Threads enter and leave in random modes while each checks, inside, that no one of an excluded mode is
     * inside too: readers never meet appliers, an exclusive holder meets nobody. Every thread keeps getting in
     * (no lost wake-up leaves one asleep).
     */
    @Test
    void modesExcludeEachOtherAndEveryoneGetsIn() throws Exception {
        PhaseLock lock = new PhaseLock();
        AtomicInteger readers = new AtomicInteger(), appliers = new AtomicInteger(), exclusive = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        List<Throwable> errors = new ArrayList<>();
        int threads = 6;
        AtomicLong[] entries = new AtomicLong[threads];
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            entries[i] = new AtomicLong();
            int id = i;
            ts.add(new Thread(() -> {
                Random rnd = new Random(id);
                try {
                    while (!stop.get()) {
                        int mode = rnd.nextInt(10); // mostly applying and reading, sometimes exclusive
                        if (mode < 5) {
                            lock.enterApply();
                            appliers.incrementAndGet();
                            assertEquals(0, readers.get(), "a reader among appliers");
                            assertEquals(0, exclusive.get(), "an exclusive holder among appliers");
                            appliers.decrementAndGet();
                            lock.exitApply();
                        } else if (mode < 9) {
                            lock.enterRead();
                            readers.incrementAndGet();
                            assertEquals(0, appliers.get(), "an applier among readers");
                            assertEquals(0, exclusive.get(), "an exclusive holder among readers");
                            readers.decrementAndGet();
                            lock.exitRead();
                        } else {
                            lock.enterExclusive();
                            assertEquals(1, exclusive.incrementAndGet(), "two exclusive holders");
                            assertEquals(0, appliers.get() + readers.get(), "company for an exclusive holder");
                            exclusive.decrementAndGet();
                            lock.exitExclusive();
                        }
                        entries[id].incrementAndGet();
                    }
                } catch (Throwable e) {
                    synchronized (errors) {
                        errors.add(e);
                    }
                }
            }));
        }
        ts.forEach(t -> t.setDaemon(true)); // a thread stuck by a bug must not keep the test JVM alive
        ts.forEach(Thread::start);
        // Every thread gets in many times (a lost wake-up would leave one asleep for good).
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline && errors.isEmpty() && java.util.Arrays.stream(entries).anyMatch(e -> e.get() < 20_000)) {
            Thread.onSpinWait();
        }
        for (int i = 0; i < threads; i++) {
            assertTrue(entries[i].get() >= 20_000 || !errors.isEmpty(), "thread " + i + " made no progress: asleep for good?");
        }
        stop.set(true);
        for (Thread t : ts) t.join(10_000);
        if (!errors.isEmpty()) throw new AssertionError(errors.get(0));
        for (Thread t : ts) assertFalse(t.isAlive(), "a thread is stuck in the lock");
    }

    /** A reader arriving while batches keep applying gets in: newcomers defer to it. */
    @Test
    void aStreamOfAppliersDoesNotStarveAReader() throws Exception {
        PhaseLock lock = new PhaseLock();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> appliers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            appliers.add(new Thread(() -> {
                while (!stop.get()) {
                    lock.enterApply();
                    Thread.onSpinWait();
                    lock.exitApply();
                }
            }));
        }
        appliers.forEach(t -> t.setDaemon(true));
        appliers.forEach(Thread::start);
        CountDownLatch read = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            lock.enterRead();
            lock.exitRead();
            read.countDown();
        });
        reader.setDaemon(true);
        reader.start();
        boolean got = read.await(10, TimeUnit.SECONDS);
        stop.set(true);
        for (Thread t : appliers) t.join(10_000);
        assertTrue(got, "the reader never got in");
    }
}
