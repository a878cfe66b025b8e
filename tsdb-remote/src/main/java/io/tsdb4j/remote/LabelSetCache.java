package io.tsdb4j.remote;

import io.tsdb4j.labels.Labels;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * Validated label sets by the raw bytes of their {@code Label} fields. Remote-write senders send the same series
 * with the same bytes again and again (Prometheus sends one {@code TimeSeries} per sample), so a decoder with this
 * cache hands out the same {@link Labels} instance for a known series instead of building a new one: no
 * allocation, and its hash is already computed, so a database lookup by it costs no hashing and, once the database
 * holds that instance, no string comparison. The same bytes always decode to the same labels, so a hit needs no
 * validation. Shared by all decoders of a server: lookups are lock-free, insertions lock.
 *
 * <p>Bounded by the series it serves: it grows like a hash table until it holds more than twice the number that
 * {@code series} reports (the database's series, say), then drops every entry not hit since the previous such trim,
 * so series that stopped being sent go.
 */
public final class LabelSetCache {
    private static final int MIN_CAPACITY = 1 << 12;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Immutable but for {@code used} (final fields: safe to read from a racy table slot). */
    private static final class Entry {
        final byte[] key;
        final int hash;
        final Labels labels;
        int used; // generation of the last hit; racy: a lost update only costs one more miss after a trim

        Entry(byte[] key, int hash, Labels labels, int used) {
            this.key = key;
            this.hash = hash;
            this.labels = labels;
            this.used = used;
        }
    }

    /** Open addressing, linear probing, no removals (growing or trimming makes a new table); at most half full. */
    private record Table(Entry[] slots, int generation) {
    }

    private final LongSupplier series;
    private volatile Table table = new Table(new Entry[MIN_CAPACITY], 0);
    private int size; // guarded by this

    /** A cache trimmed when it holds more than twice {@code series.getAsLong()} entries. */
    public LabelSetCache(LongSupplier series) {
        this.series = series;
    }

    /** The labels cached for {@code b[off, off+len)}, or null. */
    public Labels get(byte[] b, int off, int len) {
        int h = hash(b, off, len);
        Table t = table;
        Entry[] slots = t.slots;
        int mask = slots.length - 1;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            Entry e = slots[i];
            if (e == null) return null;
            if (e.hash == h && e.key.length == len && Arrays.equals(e.key, 0, len, b, off, off + len)) {
                if (e.used != t.generation) e.used = t.generation;
                return e.labels;
            }
        }
    }

    /** Caches {@code labels}, the decoded form of {@code b[off, off+len)}. */
    public synchronized void put(byte[] b, int off, int len, Labels labels) {
        int h = hash(b, off, len);
        if (2 * (size + 1) > table.slots.length) {
            if (size >= Math.max(MIN_CAPACITY / 2, 2 * series.getAsLong())) trim();
            else rehash(table.slots.length * 2, table.generation, Integer.MIN_VALUE);
        }
        Table t = table;
        Entry[] slots = t.slots;
        int mask = slots.length - 1;
        int i = h & mask;
        for (Entry e; (e = slots[i]) != null; i = (i + 1) & mask) {
            if (e.hash == h && e.key.length == len && Arrays.equals(e.key, 0, len, b, off, off + len)) return;
        }
        slots[i] = new Entry(Arrays.copyOfRange(b, off, off + len), h, labels, t.generation - 1); // not hit yet
        size++;
    }

    /** Entries currently held. */
    public synchronized int size() {
        return size;
    }

    /** Keeps the entries hit in the current generation, in a table with room for as many again, and starts the next. */
    private void trim() {
        int generation = table.generation;
        int kept = 0;
        for (Entry e : table.slots) if (e != null && e.used == generation) kept++;
        rehash(Math.max(MIN_CAPACITY, Integer.highestOneBit(4 * kept - 1) << 1), generation + 1, generation);
    }

    /** Moves the entries used in generation {@code keepFrom} or later into a new table. */
    private void rehash(int capacity, int generation, int keepFrom) {
        Entry[] slots = new Entry[capacity];
        int mask = capacity - 1;
        int n = 0;
        for (Entry e : table.slots) {
            if (e == null || e.used < keepFrom) continue;
            int i = e.hash & mask;
            while (slots[i] != null) i = (i + 1) & mask;
            slots[i] = e;
            n++;
        }
        size = n;
        table = new Table(slots, generation);
    }

    /** Label runs are ~100 bytes per series and sample: one multiply per 8 bytes, then one final mix. */
    static int hash(byte[] b, int off, int len) {
        long h = len * 0x9E3779B97F4A7C15L;
        int i = off;
        for (int end = off + len - 7; i < end; i += 8) h = (h ^ (long) LONGS.get(b, i)) * 0xBF58476D1CE4E5B9L;
        long tail = 0;
        for (int end = off + len; i < end; i++) tail = tail << 8 | (b[i] & 0xFF);
        h = (h ^ tail) * 0x94D049BB133111EBL;
        return (int) (h ^ (h >>> 31) ^ (h >>> 47));
    }
}
