package io.tsdb4j.index;

import java.util.Objects;

/**
 * A {@link Postings} wrapper that checks the {@link Postings} contract on every call, both ways: the wrapped
 * instance must return non-negative, strictly increasing references, keep its position when seeking to a value at
 * or below it, never move backwards, and stay exhausted; the caller must only call {@link #at()} while positioned.
 * A violation throws {@link AssertionError} naming the call. For tests (it lives in main so that other modules'
 * tests can wrap their postings too); it adds a few branches per call, so keep it out of production paths.
 * Not thread-safe.
 */
public final class AssertingPostings implements Postings {
    private enum State { UNPOSITIONED, POSITIONED, EXHAUSTED }

    private final Postings in;
    private final String name;
    private State state = State.UNPOSITIONED;
    private long last = -1;

    private AssertingPostings(Postings in, String name) {
        this.in = in;
        this.name = name;
    }

    /** Wraps {@code in}; {@code name} appears in failure messages. */
    public static AssertingPostings wrap(Postings in, String name) {
        return new AssertingPostings(Objects.requireNonNull(in, "in"), Objects.requireNonNull(name, "name"));
    }

    public static AssertingPostings wrap(Postings in) {
        return wrap(in, in.getClass().getSimpleName());
    }

    @Override
    public boolean next() {
        boolean r = in.next();
        if (state == State.EXHAUSTED) {
            if (r) fail("next() returned true after the postings was exhausted");
            return false;
        }
        if (!r) {
            state = State.EXHAUSTED;
            return false;
        }
        long v = in.at();
        if (v < 0) fail("next() moved to negative reference " + v);
        if (state == State.POSITIONED && v <= last) fail("next() moved from " + last + " to " + v + ", not increasing");
        last = v;
        state = State.POSITIONED;
        return true;
    }

    @Override
    public boolean seek(long target) {
        State before = state;
        long prev = last;
        boolean r = in.seek(target);
        if (before == State.EXHAUSTED) {
            if (r) fail("seek(" + target + ") returned true after the postings was exhausted");
            return false;
        }
        if (!r) {
            if (before == State.POSITIONED && prev >= target) {
                fail("seek(" + target + ") returned false while positioned on " + prev + " >= target");
            }
            state = State.EXHAUSTED;
            return false;
        }
        long v = in.at();
        if (v < 0) fail("seek(" + target + ") moved to negative reference " + v);
        if (v < target) fail("seek(" + target + ") stopped at " + v + ", below the target");
        if (before == State.POSITIONED) {
            if (prev >= target && v != prev) fail("seek(" + target + ") moved away from " + prev + " (to " + v + ")");
            if (v < prev) fail("seek(" + target + ") moved backwards from " + prev + " to " + v);
        }
        last = v;
        state = State.POSITIONED;
        return true;
    }

    @Override
    public long at() {
        if (state != State.POSITIONED) fail("at() called while " + state.name().toLowerCase());
        long v = in.at();
        if (v != last) fail("at() returned " + v + " but the postings was positioned on " + last);
        return v;
    }

    @Override
    public long cost() {
        long c = in.cost();
        if (c < 0) fail("cost() returned negative " + c);
        return c;
    }

    /** True once {@code next}/{@code seek} returned {@code false}. */
    public boolean exhausted() {
        return state == State.EXHAUSTED;
    }

    private void fail(String msg) {
        throw new AssertionError(name + ": " + msg);
    }

    @Override
    public String toString() {
        return "AssertingPostings(" + name + ", " + state + (state == State.POSITIONED ? " at " + last : "") + ")";
    }
}
