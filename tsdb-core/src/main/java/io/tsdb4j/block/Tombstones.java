package io.tsdb4j.block;

import io.tsdb4j.encoding.Decbuf;
import io.tsdb4j.encoding.Encbuf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * Deleted time ranges of a block's series: series id (the block index id) to sorted, merged, closed intervals.
 * Intervals of one series are merged when they overlap or touch ({@code b.min == a.max + 1}), as Prometheus does.
 *
 * <p>File layout ({@code <block>/tombstones}, Prometheus 2.42):
 * <pre>
 * | magic BE32 0x0130BA30 | version 1 byte (1) | entry ... | CRC32C BE32 over the entries only |
 * entry: | series id uvarint | mint varint | maxt varint |        (one per interval, any order)
 * </pre>
 * An empty file is the 9 bytes {@code 01 30 BA 30 01 00 00 00 00}.
 *
 * <p>Not thread-safe for mutation; the per-series arrays handed out are never modified (changes replace them), so
 * a {@link #copy()} can be read by other threads while the original is changed. {@link Block} publishes immutable
 * copies.
 */
public final class Tombstones {
    public static final String FILE_NAME = "tombstones";
    static final int MAGIC = 0x0130BA30;
    static final int VERSION = 1;
    private static final long[] NONE = new long[0];

    /** A closed interval {@code [minTime, maxTime]} of deleted samples. */
    public record Interval(long minTime, long maxTime) {
        public Interval {
            if (minTime > maxTime) throw new IllegalArgumentException("interval [" + minTime + ", " + maxTime + "] is empty");
        }

        public boolean contains(long t) {
            return minTime <= t && t <= maxTime;
        }
    }

    /** Per series: flattened sorted disjoint non-adjacent intervals {@code min0, max0, min1, max1, ...}. */
    private final TreeMap<Long, long[]> map;

    public Tombstones() {
        this.map = new TreeMap<>();
    }

    private Tombstones(TreeMap<Long, long[]> map) {
        this.map = map;
    }

    /** An independent copy (the interval arrays are shared: they are never modified in place). */
    public Tombstones copy() {
        return new Tombstones(new TreeMap<>(map));
    }

    /** Adds the closed interval {@code [mint, maxt]} for series {@code ref}, merging with existing intervals. */
    public void add(long ref, long mint, long maxt) {
        if (mint > maxt) throw new IllegalArgumentException("interval [" + mint + ", " + maxt + "] is empty");
        if (ref < 0) throw new IllegalArgumentException("negative series ref " + ref);
        long[] cur = map.getOrDefault(ref, NONE);
        long[] out = new long[cur.length + 2];
        int n = 0;
        int i = 0;
        // Intervals entirely before the new one and not touching it.
        while (i < cur.length && cur[i + 1] < mint && cur[i + 1] + 1 != mint) {
            out[n++] = cur[i];
            out[n++] = cur[i + 1];
            i += 2;
        }
        long lo = mint;
        long hi = maxt;
        // Intervals overlapping or touching [lo, hi]: absorb them.
        while (i < cur.length && (cur[i] <= hi || cur[i] - 1 == hi)) {
            lo = Math.min(lo, cur[i]);
            hi = Math.max(hi, cur[i + 1]);
            i += 2;
        }
        out[n++] = lo;
        out[n++] = hi;
        while (i < cur.length) {
            out[n++] = cur[i++];
        }
        map.put(ref, n == out.length ? out : Arrays.copyOf(out, n));
    }

    /** Sorted merged intervals of series {@code ref}; empty if none. */
    public List<Interval> intervals(long ref) {
        long[] a = map.getOrDefault(ref, NONE);
        List<Interval> out = new ArrayList<>(a.length / 2);
        for (int i = 0; i < a.length; i += 2) out.add(new Interval(a[i], a[i + 1]));
        return out;
    }

    /** Flattened {@code min, max} pairs of series {@code ref} (empty if none). The caller must not modify it. */
    long[] raw(long ref) {
        return map.getOrDefault(ref, NONE);
    }

    /** True if sample time {@code t} of series {@code ref} is deleted. */
    public boolean isDeleted(long ref, long t) {
        long[] a = map.getOrDefault(ref, NONE);
        for (int i = 0; i < a.length; i += 2) {
            if (t < a[i]) return false;
            if (t <= a[i + 1]) return true;
        }
        return false;
    }

    /** Series ids with tombstones, ascending. */
    public List<Long> seriesRefs() {
        return List.copyOf(map.keySet());
    }

    /** Number of series with tombstones. */
    public int numSeries() {
        return map.size();
    }

    /** Total number of intervals (Prometheus's {@code Total()}, stored as meta {@code numTombstones}). */
    public long total() {
        long n = 0;
        for (long[] a : map.values()) n += a.length / 2;
        return n;
    }

    public boolean isEmpty() {
        return map.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Tombstones t) || t.map.size() != map.size()) return false;
        for (Map.Entry<Long, long[]> e : map.entrySet()) {
            if (!Arrays.equals(e.getValue(), t.map.get(e.getKey()))) return false;
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 0;
        for (Map.Entry<Long, long[]> e : map.entrySet()) h += e.getKey().hashCode() ^ Arrays.hashCode(e.getValue());
        return h;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("{");
        map.forEach((k, v) -> b.append(b.length() > 1 ? ", " : "").append(k).append('=').append(intervals(k)));
        return b.append('}').toString();
    }

    // ---- encoding -------------------------------------------------------------------------------------------

    /** The file bytes; entries sorted by series id then time (Prometheus leaves the order unspecified). */
    public byte[] encode() {
        Encbuf e = new Encbuf(64);
        e.putBE32(MAGIC).putByte(VERSION);
        for (Map.Entry<Long, long[]> en : map.entrySet()) {
            long[] a = en.getValue();
            for (int i = 0; i < a.length; i += 2) e.putUvarint(en.getKey()).putVarint(a[i]).putVarint(a[i + 1]);
        }
        CRC32C crc = new CRC32C();
        crc.update(e.array(), 5, e.len() - 5);
        e.putBE32((int) crc.getValue());
        return e.toByteArray();
    }

    /**
     * Decodes file bytes; {@code file} names it in errors. Entries may come in any order and overlap; they are
     * merged.
     *
     * @throws FileCorruptionException on a bad magic, version, checksum or entry
     */
    public static Tombstones decode(byte[] b, Path file) {
        if (b.length < 9) throw new FileCorruptionException(file, 0, "file of " + b.length + " bytes is too short");
        Decbuf d = new Decbuf(b);
        int magic = d.getBE32();
        if (magic != MAGIC) throw new FileCorruptionException(file, 0, String.format("bad magic 0x%08X, want 0x%08X", magic, MAGIC));
        int v = d.getByte();
        if (v != VERSION) throw new FileCorruptionException(file, 4, "unknown tombstones version " + v);
        int end = b.length - 4;
        CRC32C crc = new CRC32C();
        crc.update(b, 5, end - 5);
        int want = ((b[end] & 0xFF) << 24) | ((b[end + 1] & 0xFF) << 16) | ((b[end + 2] & 0xFF) << 8) | (b[end + 3] & 0xFF);
        if ((int) crc.getValue() != want) {
            throw new FileCorruptionException(file, end, String.format("checksum mismatch: stored 0x%08X, computed 0x%08X",
                    want, (int) crc.getValue()));
        }
        Tombstones t = new Tombstones();
        d.wrap(b, 5, end - 5);
        while (d.remaining() > 0) {
            int at = d.position();
            long ref = d.getUvarint();
            long mint = d.getVarint();
            long maxt = d.getVarint();
            if (!d.ok()) throw new FileCorruptionException(file, at, "bad tombstone entry: " + d.err());
            if (ref < 0 || mint > maxt) {
                throw new FileCorruptionException(file, at, "bad tombstone entry: series " + Long.toUnsignedString(ref)
                        + " [" + mint + ", " + maxt + "]");
            }
            t.add(ref, mint, maxt);
        }
        return t;
    }

    /**
     * Reads {@code <blockDir>/tombstones}; a missing file means no tombstones (as in Prometheus).
     */
    public static Tombstones read(Path blockDir) throws IOException {
        Path f = blockDir.resolve(FILE_NAME);
        if (!Files.exists(f)) return new Tombstones();
        return decode(Files.readAllBytes(f), f);
    }

    /**
     * Writes {@code <blockDir>/tombstones} atomically: {@code tombstones.tmp}, fsync, rename, directory fsync.
     * Returns the file size.
     */
    public long write(Path blockDir) throws IOException {
        byte[] b = encode();
        FileUtil.writeAtomically(blockDir, FILE_NAME, b);
        return b.length;
    }
}
