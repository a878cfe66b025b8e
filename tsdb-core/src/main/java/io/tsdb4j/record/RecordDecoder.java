package io.tsdb4j.record;

import io.tsdb4j.encoding.Decbuf;
import io.tsdb4j.labels.InvalidLabelsException;
import io.tsdb4j.labels.Labels;

import java.util.Arrays;

/**
 * Decodes WAL records. One instance per replaying thread; it reuses its buffers, so decoded sample arrays are
 * valid until the next call. A record of a known type that does not decode throws {@link RecordFormatException}
 * (Prometheus treats that as corruption).
 */
public final class RecordDecoder {
    private final Decbuf d = new Decbuf();

    /** Receives series entries. */
    public interface SeriesSink {
        void series(long ref, Labels labels);
    }

    /** Receives metadata entries. */
    public interface MetadataSink {
        void metadata(long ref, int metricType, String unit, String help);
    }

    /** Decoded samples: parallel arrays, the first {@code n} entries valid. Reused between calls. */
    public static final class Samples {
        public long[] refs = new long[256];
        public long[] ts = new long[256];
        public double[] vs = new double[256];
        public int n;

        void ensure(int cap) {
            if (cap > refs.length) {
                int c = Math.max(cap, refs.length * 2);
                refs = Arrays.copyOf(refs, c);
                ts = Arrays.copyOf(ts, c);
                vs = Arrays.copyOf(vs, c);
            }
        }
    }

    /** Decoded tombstone intervals (closed), parallel arrays. */
    public static final class Tombstones {
        public long[] refs = new long[16];
        public long[] mints = new long[16];
        public long[] maxts = new long[16];
        public int n;
    }

    public void series(byte[] rec, int len, SeriesSink sink) {
        d.wrap(rec, 0, len);
        expectType(RecordType.SERIES);
        while (d.ok() && d.remaining() > 0) {
            long ref = d.getBE64();
            int n = d.getUvarint32();
            if (!d.ok()) break;
            if (n > d.remaining()) throw new RecordFormatException("series record: label count " + n + " exceeds record size");
            String[] kv = new String[2 * n];
            for (int i = 0; i < n; i++) {
                kv[2 * i] = d.getUvarintStr();
                kv[2 * i + 1] = d.getUvarintStr();
            }
            if (!d.ok()) break;
            Labels labels;
            try {
                labels = Labels.fromSortedPairs(kv);
            } catch (InvalidLabelsException e) {
                throw new RecordFormatException("series record: series ref " + ref + ": " + e.getMessage());
            }
            sink.series(ref, labels);
        }
        check("series");
    }

    public Samples samples(byte[] rec, int len, Samples out) {
        d.wrap(rec, 0, len);
        expectType(RecordType.SAMPLES);
        out.n = 0;
        if (d.remaining() == 0) return out;
        long baseRef = d.getBE64();
        long baseT = d.getBE64();
        // Each entry is at least 10 bytes: size the arrays once.
        out.ensure(d.remaining() / 10 + 1);
        while (d.ok() && d.remaining() > 0) {
            long dref = d.getVarint();
            long dt = d.getVarint();
            long bits = d.getBE64();
            if (!d.ok()) break;
            int i = out.n++;
            out.refs[i] = baseRef + dref;
            out.ts[i] = baseT + dt;
            out.vs[i] = Double.longBitsToDouble(bits);
        }
        check("samples");
        return out;
    }

    public Tombstones tombstones(byte[] rec, int len, Tombstones out) {
        d.wrap(rec, 0, len);
        expectType(RecordType.TOMBSTONES);
        out.n = 0;
        while (d.ok() && d.remaining() > 0) {
            long ref = d.getBE64();
            long mint = d.getVarint();
            long maxt = d.getVarint();
            if (!d.ok()) break;
            if (out.n == out.refs.length) {
                int c = out.n * 2;
                out.refs = Arrays.copyOf(out.refs, c);
                out.mints = Arrays.copyOf(out.mints, c);
                out.maxts = Arrays.copyOf(out.maxts, c);
            }
            out.refs[out.n] = ref;
            out.mints[out.n] = mint;
            out.maxts[out.n] = maxt;
            out.n++;
        }
        check("tombstones");
        return out;
    }

    public void metadata(byte[] rec, int len, MetadataSink sink) {
        d.wrap(rec, 0, len);
        expectType(RecordType.METADATA);
        while (d.ok() && d.remaining() > 0) {
            long ref = d.getUvarint();
            int type = d.getByte();
            int fields = d.getUvarint32();
            String unit = "", help = "";
            for (int i = 0; i < fields && d.ok(); i++) {
                String k = d.getUvarintStr();
                String v = d.getUvarintStr();
                if (k.equals("UNIT")) unit = v;
                else if (k.equals("HELP")) help = v;
            }
            if (!d.ok()) break;
            sink.metadata(ref, type, unit, help);
        }
        check("metadata");
    }

    private void expectType(int type) {
        int t = d.getByte();
        if (t != type) {
            throw new RecordFormatException("expected a " + RecordType.name(type) + " record, got type " + RecordType.name(t));
        }
    }

    private void check(String what) {
        if (!d.ok()) throw new RecordFormatException(what + " record: " + d.err());
    }
}
