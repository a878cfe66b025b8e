package io.tsdb4j.head;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The head's visibility lock, with three modes: commits <em>apply</em> their batches together, readers
 * <em>read</em> together, and the two groups exclude each other, so that a reader never sees half of a batch;
 * an <em>exclusive</em> holder (truncation, deletion) excludes both.
 *
 * <p>Entering and leaving is one compare-and-set on the state while nobody waits; waiters sleep on this object's
 * monitor. A newcomer defers to any waiter of the other kinds (so a stream of commits cannot starve a reader),
 * woken waiters defer only to a waiting exclusive holder, and an exclusive holder defers to nobody. Not reentrant.
 */
final class PhaseLock {
    private static final int EXCLUSIVE = Integer.MIN_VALUE;

    /** 0 free; n &gt; 0: n batches applying; -n (above EXCLUSIVE): n readers; EXCLUSIVE. */
    private final AtomicInteger state = new AtomicInteger();
    private volatile int waitingReaders;
    private volatile int waitingAppliers;
    private volatile int waitingExclusive;

    void enterApply() {
        int s = state.get();
        if (s >= 0 && waitingReaders == 0 && waitingExclusive == 0 && state.compareAndSet(s, s + 1)) return;
        synchronized (this) {
            waitingAppliers++;
            try {
                while (true) {
                    s = state.get();
                    if (s < 0 || waitingExclusive != 0) {
                        waitUninterruptibly();
                    } else if (state.compareAndSet(s, s + 1)) {
                        return;
                    } // else: lost a race on the count; look again without sleeping
                }
            } finally {
                waitingAppliers--;
            }
        }
    }

    void exitApply() {
        if (state.decrementAndGet() == 0) wakeIfWaiting();
    }

    void enterRead() {
        int s = state.get();
        if (s <= 0 && s != EXCLUSIVE && waitingAppliers == 0 && waitingExclusive == 0 && state.compareAndSet(s, s - 1)) {
            return;
        }
        synchronized (this) {
            waitingReaders++;
            try {
                while (true) {
                    s = state.get();
                    if (s > 0 || s == EXCLUSIVE || waitingExclusive != 0) {
                        waitUninterruptibly();
                    } else if (state.compareAndSet(s, s - 1)) {
                        return;
                    }
                }
            } finally {
                waitingReaders--;
            }
        }
    }

    void exitRead() {
        if (state.incrementAndGet() == 0) wakeIfWaiting();
    }

    void enterExclusive() {
        if (state.compareAndSet(0, EXCLUSIVE)) return;
        synchronized (this) {
            waitingExclusive++;
            try {
                while (!state.compareAndSet(0, EXCLUSIVE)) {
                    if (state.get() != 0) waitUninterruptibly();
                }
            } finally {
                waitingExclusive--;
            }
        }
    }

    void exitExclusive() {
        state.set(0);
        wakeIfWaiting();
    }

    // A waiter counts itself before it checks the state, and a leaver changes the state before it checks the
    // counts (both sequentially consistent), so one of them always sees the other: no wake-up is lost.
    private void wakeIfWaiting() {
        if ((waitingReaders | waitingAppliers | waitingExclusive) != 0) {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    private void waitUninterruptibly() {
        boolean interrupted = false;
        while (true) {
            try {
                wait();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }
}
