package io.tsdb4j.record;

import io.tsdb4j.encoding.Encbuf;
import io.tsdb4j.labels.Labels;

/**
 * Encodes WAL records into a caller-owned {@link Encbuf}, appending (so several records can share one
 * buffer when the caller tracks offsets). Allocation-free for samples. Stateless and thread-safe.
 */
public final class RecordEncoder {
    private RecordEncoder() {}

    /** Starts a series record; add entries with {@link #seriesEntry}. */
    public static void beginSeries(Encbuf e) {
        e.putByte(RecordType.SERIES);
    }

    public static void seriesEntry(Encbuf e, long ref, Labels labels) {
        e.putBE64(ref);
        int n = labels.size();
        e.putUvarint(n);
        for (int i = 0; i < n; i++) {
            e.putUvarintStr(labels.name(i));
            e.putUvarintStr(labels.value(i));
        }
    }

    /**
     * A samples record of {@code n} samples. Prometheus's layout: BE64 base ref and BE64 base time (those of the
     * first sample), then per sample signed-varint ref delta, signed-varint time delta and BE64 value bits.
     */
    public static void samples(Encbuf e, long[] refs, long[] ts, double[] vs, int n) {
        e.putByte(RecordType.SAMPLES);
        if (n == 0) return;
        long baseRef = refs[0], baseT = ts[0];
        e.putBE64(baseRef);
        e.putBE64(baseT);
        // The per-sample loop is the WAL's hot path: one capacity check for the record, plain array writes.
        byte[] b = e.reserve(n * MAX_SAMPLE_BYTES);
        int p = e.len();
        for (int i = 0; i < n; i++) {
            p = Encbuf.putVarint(b, p, refs[i] - baseRef);
            p = Encbuf.putVarint(b, p, ts[i] - baseT);
            BIG_ENDIAN_LONG.set(b, p, Double.doubleToRawLongBits(vs[i]));
            p += 8;
        }
        e.setLen(p);
    }

    /** Two varints of at most 10 bytes and the 8 value bytes. */
    private static final int MAX_SAMPLE_BYTES = 28;
    private static final java.lang.invoke.VarHandle BIG_ENDIAN_LONG =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.BIG_ENDIAN);

    /** A tombstones record: one (ref, mint, maxt) entry per deleted interval. */
    public static void tombstones(Encbuf e, long[] refs, long[] mints, long[] maxts, int n) {
        e.putByte(RecordType.TOMBSTONES);
        for (int i = 0; i < n; i++) {
            e.putBE64(refs[i]);
            e.putVarint(mints[i]);
            e.putVarint(maxts[i]);
        }
    }

    /** Starts a metadata record; add entries with {@link #metadataEntry}. */
    public static void beginMetadata(Encbuf e) {
        e.putByte(RecordType.METADATA);
    }

    /** Prometheus 2.42's layout: uvarint ref, type byte, field count 2, "UNIT", unit, "HELP", help. */
    public static void metadataEntry(Encbuf e, long ref, int metricType, String unit, String help) {
        e.putUvarint(ref);
        e.putByte(metricType);
        e.putUvarint(2);
        e.putUvarintStr("UNIT");
        e.putUvarintStr(unit);
        e.putUvarintStr("HELP");
        e.putUvarintStr(help);
    }
}
