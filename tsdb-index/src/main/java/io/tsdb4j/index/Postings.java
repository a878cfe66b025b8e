package io.tsdb4j.index;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.LongConsumer;

/**
 * An iterator over a sorted list of series references ("postings"), the unit of the inverted index.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>References are non-negative {@code long}s returned in <b>strictly increasing</b> order.</li>
 *   <li>A fresh instance is <i>unpositioned</i>. {@link #next()} and {@link #seek(long)} either position it on a
 *       reference and return {@code true}, or exhaust it and return {@code false}. Once exhausted, every later
 *       {@code next}/{@code seek} returns {@code false}.</li>
 *   <li>{@link #seek(long) seek(v)} moves to the first reference {@code >= v}. It never moves backwards: when
 *       positioned on a reference {@code >= v} it stays there and returns {@code true}. Seeking an unpositioned
 *       instance is allowed (it is how intersections start).</li>
 *   <li>{@link #at()} may only be called while positioned (after {@code next}/{@code seek} returned {@code true});
 *       otherwise its result is unspecified (implementations do not check, for speed).
 *       {@link AssertingPostings} checks all of this in tests.</li>
 *   <li>{@link #cost()} estimates how many references remain (an upper bound where cheap to know); the algebra
 *       uses it to let the cheapest list lead an intersection. {@link Long#MAX_VALUE} means unknown.</li>
 * </ul>
 *
 * <p>The set algebra ({@link #intersect}, {@link #merge}, {@link #without}) consumes its inputs: an input must
 * not be used elsewhere afterwards. After construction, {@code next}/{@code seek} of the algebra allocate
 * nothing.
 *
 * <p>Instances are single-use and not thread-safe. There is no error state: implementations over files validate
 * their bytes (checksum) before the instance is handed out, so iteration cannot fail.
 */
public interface Postings {

    /** The empty list: {@code next} and {@code seek} return {@code false}, {@code cost} is 0. A shared singleton. */
    Postings EMPTY = EmptyPostings.INSTANCE;

    /** Advances to the next reference; {@code false} at the end (and from then on). */
    boolean next();

    /**
     * Advances to the first reference {@code >= v}, staying put if the current one already is; {@code false} if
     * there is none (and from then on).
     */
    boolean seek(long v);

    /** The current reference; only valid while positioned. */
    long at();

    /** Estimated number of references (not consumed by this call); {@link Long#MAX_VALUE} if unknown. */
    default long cost() {
        return Long.MAX_VALUE;
    }

    /**
     * A view over a strictly increasing array of non-negative references (checked here, once, in O(n)). The array
     * is not copied: the caller must not modify it while the postings is in use.
     *
     * @throws IllegalArgumentException if the array is not strictly increasing or holds a negative value
     */
    static Postings of(long... sorted) {
        Objects.requireNonNull(sorted, "sorted");
        for (int i = 0; i < sorted.length; i++) {
            if (sorted[i] < 0) throw new IllegalArgumentException("negative reference " + sorted[i] + " at index " + i);
            if (i > 0 && sorted[i] <= sorted[i - 1]) {
                throw new IllegalArgumentException("references not strictly increasing at index " + i + ": "
                        + sorted[i - 1] + " then " + sorted[i]);
            }
        }
        return sorted.length == 0 ? EMPTY : new LongArrayPostings(sorted, sorted.length);
    }

    /**
     * A view over the first {@code len} entries of {@code sorted}, read as <b>unsigned</b> 32-bit references that
     * must be strictly increasing in unsigned order (for refs below 2^31, ordinary order). Not checked (it is meant
     * for the head index's live arrays; use {@link AssertingPostings} in tests). Seeks gallop then binary-search.
     * The array is not copied: the caller must not modify {@code [0, len)} while the postings is in use (appending
     * past {@code len} is fine).
     */
    static Postings of(int[] sorted, int len) {
        Objects.requireNonNull(sorted, "sorted");
        if (len < 0 || len > sorted.length) {
            throw new IllegalArgumentException("len " + len + " outside [0, " + sorted.length + "]");
        }
        return len == 0 ? EMPTY : new IntArrayPostings(sorted, len);
    }

    /** See {@link #intersect(List)}. */
    static Postings intersect(Postings... lists) {
        return intersect(Arrays.asList(lists));
    }

    /**
     * References present in every list. No list gives {@link #EMPTY}, one list is returned as is, any list that is
     * {@link #EMPTY} gives {@link #EMPTY}. Lists are ordered by {@link #cost()} once, here; the cheapest leads a
     * zigzag in which the others {@code seek} to the lead's candidate (Lucene's conjunction).
     */
    static Postings intersect(List<? extends Postings> lists) {
        int n = lists.size();
        if (n == 0) return EMPTY;
        if (n == 1) return Objects.requireNonNull(lists.get(0));
        Postings[] ps = new Postings[n];
        for (int i = 0; i < n; i++) {
            Postings p = Objects.requireNonNull(lists.get(i), "postings");
            if (p == EMPTY) return EMPTY;
            ps[i] = p;
        }
        return new IntersectPostings(ps);
    }

    /** See {@link #merge(List)}. */
    static Postings merge(Postings... lists) {
        return merge(Arrays.asList(lists));
    }

    /**
     * Union of the lists, each reference once even when several lists hold it (heap merge). {@link #EMPTY} inputs are
     * dropped; none left gives {@link #EMPTY}, one left is returned as is.
     */
    static Postings merge(List<? extends Postings> lists) {
        int n = 0;
        Postings[] ps = new Postings[lists.size()];
        for (Postings p : lists) {
            if (Objects.requireNonNull(p, "postings") != EMPTY) ps[n++] = p;
        }
        if (n == 0) return EMPTY;
        if (n == 1) return ps[0];
        return new MergePostings(n == ps.length ? ps : Arrays.copyOf(ps, n));
    }

    /** References of {@code full} that are not in {@code drop}. */
    static Postings without(Postings full, Postings drop) {
        Objects.requireNonNull(full, "full");
        Objects.requireNonNull(drop, "drop");
        if (full == EMPTY) return EMPTY;
        if (drop == EMPTY) return full;
        return new WithoutPostings(full, drop);
    }

    /** Calls {@code next()} until the end, passing each reference to {@code sink}; returns how many there were. */
    static long forEach(Postings p, LongConsumer sink) {
        long n = 0;
        while (p.next()) {
            sink.accept(p.at());
            n++;
        }
        return n;
    }

    /**
     * Drains {@code p} with {@code next()} into a new array (the references that successive {@code next()} calls
     * return: all of them for an unpositioned instance).
     */
    static long[] toArray(Postings p) {
        long c = p.cost();
        long[] out = new long[c == Long.MAX_VALUE ? 64 : (int) Math.max(8, Math.min(c, 1 << 16))];
        int n = 0;
        while (p.next()) {
            if (n == out.length) {
                if (n == Integer.MAX_VALUE - 8) throw new IllegalStateException("postings too long for an array");
                out = Arrays.copyOf(out, (int) Math.min((long) n * 2, Integer.MAX_VALUE - 8));
            }
            out[n++] = p.at();
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }
}
