package io.tsdb4j.index;

import org.junit.jupiter.api.Test;

import java.util.function.LongUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The asserting wrapper must catch each kind of contract violation, or it would make other tests vacuous. */
class AssertingPostingsTest {

    /** Postings whose next() yields the given values and whose seek(v) goes to {@code seekTo.applyAsLong(v)}. */
    private static Postings broken(long[] values, LongUnaryOperator seekTo) {
        return new Postings() {
            int i = -1;
            long cur;

            @Override
            public boolean next() {
                if (++i >= values.length) return false;
                cur = values[i];
                return true;
            }

            @Override
            public boolean seek(long v) {
                cur = seekTo.applyAsLong(v);
                return cur >= 0;
            }

            @Override
            public long at() {
                return cur;
            }
        };
    }

    @Test
    void acceptsAConformingSequence() {
        AssertingPostings p = AssertingPostings.wrap(Postings.of(1, 4, 9));
        assertTrue(p.next());
        assertTrue(p.seek(0));
        assertEquals(1, p.at());
        assertTrue(p.seek(5));
        assertEquals(9, p.at());
        assertTrue(!p.next() && p.exhausted());
    }

    @Test
    void rejectsNonIncreasingNext() {
        Postings p = AssertingPostings.wrap(broken(new long[] {3, 3}, v -> v), "dup");
        p.next();
        AssertionError e = assertThrows(AssertionError.class, p::next);
        assertTrue(e.getMessage().contains("dup"), e.getMessage());
    }

    @Test
    void rejectsSeekBelowTargetOrBackwardsOrAway() {
        Postings below = AssertingPostings.wrap(broken(new long[0], v -> v - 1));
        assertThrows(AssertionError.class, () -> below.seek(10));

        Postings away = AssertingPostings.wrap(broken(new long[] {5}, v -> v + 1));
        away.next();
        assertThrows(AssertionError.class, () -> away.seek(3)); // positioned on 5 >= 3: must stay

        Postings lost = AssertingPostings.wrap(broken(new long[] {5}, v -> -1));
        lost.next();
        assertThrows(AssertionError.class, () -> lost.seek(5)); // must not report exhaustion while on 5
    }

    @Test
    void rejectsAtWhenNotPositioned() {
        Postings p = AssertingPostings.wrap(Postings.of(1));
        assertThrows(AssertionError.class, p::at);
        p.next();
        p.next();
        assertThrows(AssertionError.class, p::at);
    }

    @Test
    void rejectsResurrection() {
        Postings p = AssertingPostings.wrap(broken(new long[0], v -> v));
        p.next();
        assertThrows(AssertionError.class, () -> p.seek(1));
    }

    @Test
    void rejectsNegativeReferences() {
        Postings p = AssertingPostings.wrap(broken(new long[] {-2}, v -> v));
        assertThrows(AssertionError.class, p::next);
    }
}
