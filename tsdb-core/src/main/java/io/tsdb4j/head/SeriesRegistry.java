package io.tsdb4j.head;

import io.tsdb4j.labels.Labels;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * All head series, by reference and by label set. References are dense (1, 2, 3, ...), so lookup by reference is
 * two array indexations into pages that never move (the array of pages is replaced by a longer copy when it
 * fills): lock-free and allocation-free, the append fast path. Lookup
 * by labels goes through a concurrent hash map keyed by the label set (its hash is a cached xxHash64).
 */
final class SeriesRegistry {
    private static final int PAGE_BITS = 12;
    private static final int PAGE_SIZE = 1 << PAGE_BITS;
    private static final int MAX_PAGES = 1 << 19; // 2^31 series

    /** Pages of series by reference; replaced by a longer copy (under this object's lock) to add pages. */
    private volatile MemSeries[][] pages = new MemSeries[16][];
    private final ConcurrentHashMap<Labels, MemSeries> byLabels = new ConcurrentHashMap<>();
    private final AtomicLong lastRef = new AtomicLong();
    /**
     * Duplicate references from WAL replay: a series that a head cut removed and that came back got a new reference,
     * so the WAL names its labels by both. Replay folds them onto one series; its records under the other reference
     * must survive checkpoints as long as the series lives. Rare, so a plain concurrent map.
     */
    private final ConcurrentHashMap<Long, MemSeries> aliases = new ConcurrentHashMap<>();
    private final AtomicLong count = new AtomicLong();

    MemSeries get(long ref) {
        MemSeries[][] ps = pages;
        long p = ref >>> PAGE_BITS;
        if (ref <= 0 || p >= ps.length) return null;
        MemSeries[] page = ps[(int) p];
        return page == null ? null : page[(int) (ref & (PAGE_SIZE - 1))];
    }

    MemSeries get(Labels labels) {
        return byLabels.get(labels);
    }

    /** Returns the series with these labels, creating it with the next free reference. */
    MemSeries getOrCreate(Labels labels, java.util.concurrent.atomic.AtomicLong createdCounter) {
        MemSeries s = byLabels.get(labels);
        if (s != null) return s;
        synchronized (this) {
            s = byLabels.get(labels);
            if (s != null) return s;
            s = new MemSeries(lastRef.incrementAndGet(), labels);
            put(s);
            createdCounter.incrementAndGet();
            return s;
        }
    }

    /**
     * WAL replay: registers a series under the reference the WAL gives it. If the labels already exist under
     * another reference, that series is returned (the caller maps the duplicate reference onto it) and the duplicate
     * is remembered (see {@link #isLive}).
     */
    synchronized MemSeries getOrCreateWithRef(long ref, Labels labels) {
        if (ref <= 0 || ref >= (long) MAX_PAGES * PAGE_SIZE) {
            throw new IllegalArgumentException("series reference " + ref + " out of range");
        }
        // Every reference the WAL used stays used, also one that turns out to be a duplicate: handing it to a new
        // series would make the WAL's older records under it name that series at the next replay.
        lastRef.accumulateAndGet(ref, Math::max);
        MemSeries s = byLabels.get(labels);
        if (s != null) {
            if (get(ref) == null) aliases.put(ref, s);
            return s;
        }
        MemSeries existing = get(ref);
        if (existing != null) {
            // Same ref, different labels: give the newcomer a fresh reference.
            ref = lastRef.incrementAndGet();
        }
        s = new MemSeries(ref, labels);
        put(s);
        aliases.remove(ref); // it names these labels from here on
        return s;
    }

    /**
     * Whether the WAL's records under {@code ref} still matter: it names a head series, or is a duplicate reference
     * (see {@link #getOrCreateWithRef}) of one. WAL checkpoints keep exactly these.
     */
    boolean isLive(long ref) {
        if (get(ref) != null) return true;
        MemSeries target = aliases.isEmpty() ? null : aliases.get(ref);
        return target != null && get(target.ref) == target;
    }

    /** Forgets duplicate references of series no longer in the head (after a truncation). */
    void pruneAliases() {
        if (!aliases.isEmpty()) aliases.values().removeIf(target -> get(target.ref) != target);
    }

    private void put(MemSeries s) {
        int p = (int) (s.ref >>> PAGE_BITS);
        MemSeries[][] ps = pages;
        if (p >= ps.length) pages = ps = java.util.Arrays.copyOf(ps, Math.min(MAX_PAGES, Math.max(p + 1, ps.length * 2)));
        MemSeries[] page = ps[p];
        if (page == null) {
            page = new MemSeries[PAGE_SIZE];
            ps[p] = page;
            pages = ps; // publishes the new page (a volatile write after it)
        }
        page[(int) (s.ref & (PAGE_SIZE - 1))] = s;
        // Publication: byLabels.put is a volatile write after the page store, and readers by ref re-read the page.
        byLabels.put(s.labels, s);
        count.incrementAndGet();
    }

    /** Puts back a series removed by truncation (an appender still held it), under its old reference. */
    synchronized void reinsert(MemSeries s) {
        if (byLabels.get(s.labels) == null && get(s.ref) == null) put(s);
    }

    synchronized void remove(MemSeries s) {
        if (byLabels.remove(s.labels, s)) {
            MemSeries[] page = pages[(int) (s.ref >>> PAGE_BITS)];
            page[(int) (s.ref & (PAGE_SIZE - 1))] = null;
            count.decrementAndGet();
        }
    }

    long size() {
        return count.get();
    }

    long lastRef() {
        return lastRef.get();
    }

    void forEach(Consumer<MemSeries> action) {
        byLabels.values().forEach(action);
    }
}
