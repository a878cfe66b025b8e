package io.tsdb4j.index;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Edge cases of the postings factories and algebra. */
class PostingsTest {

    private static Postings a(long... v) {
        return AssertingPostings.wrap(Postings.of(v));
    }

    @Test
    void emptySentinel() {
        Postings e = Postings.EMPTY;
        assertFalse(e.next());
        assertFalse(e.seek(0));
        assertEquals(0, e.cost());
        assertThrows(IllegalStateException.class, e::at);
        assertSame(Postings.EMPTY, Postings.of());
        assertSame(Postings.EMPTY, Postings.of(new int[4], 0));
    }

    @Test
    void degenerateAlgebra() {
        Postings one = Postings.of(1, 2);
        assertSame(Postings.EMPTY, Postings.intersect());
        assertSame(Postings.EMPTY, Postings.intersect(List.of()));
        assertSame(one, Postings.intersect(one));
        assertSame(Postings.EMPTY, Postings.intersect(Postings.of(1), Postings.EMPTY));
        assertSame(Postings.EMPTY, Postings.merge());
        assertSame(one, Postings.merge(one));
        assertSame(one, Postings.merge(Postings.EMPTY, one, Postings.EMPTY));
        assertSame(one, Postings.without(one, Postings.EMPTY));
        assertSame(Postings.EMPTY, Postings.without(Postings.EMPTY, one));
    }

    @Test
    void ofRejectsUnsortedDuplicateAndNegative() {
        assertThrows(IllegalArgumentException.class, () -> Postings.of(1, 1));
        assertThrows(IllegalArgumentException.class, () -> Postings.of(2, 1));
        assertThrows(IllegalArgumentException.class, () -> Postings.of(-1, 1));
        assertThrows(IllegalArgumentException.class, () -> Postings.of(new int[2], 3));
    }

    @Test
    void singleElement() {
        Postings p = a(42);
        assertTrue(p.seek(41));
        assertEquals(42, p.at());
        assertTrue(p.seek(42));
        assertEquals(42, p.at());
        assertFalse(p.next());
        assertFalse(p.seek(0));
    }

    @Test
    void seekPastEndExhausts() {
        Postings p = a(1, 5, 9);
        assertFalse(p.seek(10));
        assertFalse(p.next());
        assertFalse(p.seek(1));

        Postings i = AssertingPostings.wrap(Postings.intersect(a(1, 5, 9), a(5, 9, 11)));
        assertTrue(i.seek(6));
        assertEquals(9, i.at());
        assertFalse(i.seek(10));
        assertFalse(i.next());

        Postings m = AssertingPostings.wrap(Postings.merge(a(1, 5), a(9)));
        assertFalse(m.seek(Long.MAX_VALUE));
        assertFalse(m.next());

        Postings w = AssertingPostings.wrap(Postings.without(a(1, 5, 9), a(9)));
        assertTrue(w.seek(2));
        assertEquals(5, w.at());
        assertFalse(w.seek(6));
    }

    @Test
    void seekBeforeStartAndNegativeTarget() {
        Postings p = a(0, 3);
        assertTrue(p.seek(-5));
        assertEquals(0, p.at());
        assertTrue(p.seek(-1)); // stays
        assertEquals(0, p.at());
        Postings i = AssertingPostings.wrap(Postings.intersect(a(0, 3), a(0, 3)));
        assertTrue(i.seek(Long.MIN_VALUE));
        assertEquals(0, i.at());
    }

    @Test
    void mergeRemovesDuplicatesAcrossInputs() {
        Postings m = Postings.merge(a(1, 2, 3), a(2, 3, 4), a(3), a(1, 4, 8));
        assertArrayEquals(new long[] {1, 2, 3, 4, 8}, Postings.toArray(AssertingPostings.wrap(m)));
    }

    @Test
    void intArrayIsUnsignedAndBoundedByLen() {
        int[] arr = {3, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 5 /* past len */};
        Postings p = AssertingPostings.wrap(Postings.of(arr, 4));
        assertTrue(p.seek(0x8000_0000L));
        assertEquals(0x8000_0000L, p.at());
        assertTrue(p.next());
        assertEquals(0xFFFF_FFFFL, p.at());
        assertFalse(p.next());
        assertArrayEquals(new long[] {3, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL},
                Postings.toArray(Postings.of(arr, 4)));
    }

    @Test
    void gallopingSeekFindsEveryTargetInALongList() {
        int n = 10_000;
        int[] arr = new int[n];
        for (int i = 0; i < n; i++) arr[i] = i * 3;
        for (long target = -1; target < 3L * n + 2; target += 7) {
            Postings p = Postings.of(arr, n);
            boolean r = p.seek(target);
            long want = target <= 0 ? 0 : ((target + 2) / 3) * 3;
            assertEquals(want < 3L * n, r, "seek " + target);
            if (r) assertEquals(want, p.at());
        }
    }

    @Test
    void costOrdersIntersection() {
        // The long list must be driven by seeks from the short one: count its next() calls.
        int[] next = {0};
        Postings big = new Postings() {
            final Postings in = Postings.of(range(0, 100_000));

            @Override
            public boolean next() {
                next[0]++;
                return in.next();
            }

            @Override
            public boolean seek(long v) {
                return in.seek(v);
            }

            @Override
            public long at() {
                return in.at();
            }

            @Override
            public long cost() {
                return in.cost();
            }
        };
        Postings i = Postings.intersect(big, Postings.of(10, 50_000, 99_999));
        assertArrayEquals(new long[] {10, 50_000, 99_999}, Postings.toArray(AssertingPostings.wrap(i)));
        assertEquals(0, next[0], "the costly list should only be seeked");
    }

    @Test
    void intersectionMergeAndWithoutAllocateNothingWhileIterating() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(mx.isThreadAllocatedMemorySupported(), "JVM must report per-thread allocation");
        long[] evens = range(0, 200_000);
        for (int i = 0; i < evens.length; i++) evens[i] *= 2;
        long[] all = range(0, 400_000);
        int[] threes = new int[150_000];
        for (int i = 0; i < threes.length; i++) threes[i] = i * 3;
        // Build outside the measured region, iterate inside: 3 rounds so the loop gets compiled too.
        for (int round = 0; round < 3; round++) {
            Postings i = Postings.intersect(Postings.of(evens), Postings.of(all), Postings.of(threes, threes.length));
            Postings m = Postings.merge(Postings.of(evens), Postings.of(threes, threes.length));
            Postings w = Postings.without(Postings.of(all), Postings.of(evens));
            long tid = Thread.currentThread().getId();
            long before = mx.getThreadAllocatedBytes(tid);
            long sum = 0;
            while (i.next()) sum += i.at();
            while (m.next()) {
                sum += m.at();
                m.seek(m.at() + 2);
            }
            while (w.next()) sum += w.at();
            long allocated = mx.getThreadAllocatedBytes(tid) - before;
            assertTrue(sum > 0);
            // ~1M steps; a single allocation per step would be >= 16 MB.
            assertTrue(allocated < 64 * 1024, "allocated " + allocated + " bytes while iterating");
        }
    }

    static long[] range(long from, long to) {
        long[] r = new long[(int) (to - from)];
        for (int i = 0; i < r.length; i++) r[i] = from + i;
        return r;
    }
}
