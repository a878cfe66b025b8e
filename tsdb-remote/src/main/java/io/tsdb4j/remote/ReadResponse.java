package io.tsdb4j.remote;

import com.google.protobuf.CodedInputStream;
import io.tsdb4j.labels.Labels;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A decoded {@code SAMPLES} remote-read answer: one {@link QueryResult} per query, in request order. Produced by
 * {@link #parse} (for clients and tests); servers write responses with {@link ReadResponseEncoder}. Immutable
 * apart from the sample arrays, which the caller owns.
 */
public record ReadResponse(List<QueryResult> results) {
    public ReadResponse {
        results = List.copyOf(results);
    }

    /** {@code QueryResult}: the series that matched one query. */
    public record QueryResult(List<TimeSeries> timeseries) {
        public QueryResult {
            timeseries = List.copyOf(timeseries);
        }
    }

    /**
     * One series with its samples (parallel arrays of equal length). Equality compares values by their raw bits,
     * so NaN payloads such as the stale marker are distinguished.
     */
    public record TimeSeries(Labels labels, long[] timestamps, double[] values) {
        public TimeSeries {
            Objects.requireNonNull(labels, "labels");
            if (timestamps.length != values.length) {
                throw new IllegalArgumentException(timestamps.length + " timestamps but " + values.length + " values");
            }
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof TimeSeries)) return false;
            TimeSeries other = (TimeSeries) o;
            if (!labels.equals(other.labels) || !Arrays.equals(timestamps, other.timestamps)) return false;
            if (values.length != other.values.length) return false;
            for (int i = 0; i < values.length; i++) {
                if (Double.doubleToRawLongBits(values[i]) != Double.doubleToRawLongBits(other.values[i])) return false;
            }
            return true;
        }

        @Override
        public int hashCode() {
            return labels.hashCode() * 31 + Arrays.hashCode(timestamps);
        }

        @Override
        public String toString() {
            return labels + " " + timestamps.length + " samples";
        }
    }

    /** Decompresses (with {@code maxDecodedBytes} as limit) and decodes a snappy-compressed response body. */
    public static ReadResponse parseSnappy(byte[] body, int maxDecodedBytes) throws RemoteProtocolException {
        byte[] pb = Snappy.decompress(body, 0, body.length, maxDecodedBytes);
        return parse(pb, 0, pb.length);
    }

    /**
     * Decodes a {@code ReadResponse} (protobuf bytes). Labels are validated as in write requests; exemplars and
     * histograms inside the series, which Prometheus 2.42 never sends here, are skipped.
     */
    public static ReadResponse parse(byte[] buf, int off, int len) throws RemoteProtocolException {
        Objects.checkFromIndexSize(off, len, buf.length);
        CodedInputStream in = CodedInputStream.newInstance(buf, off, len);
        List<QueryResult> results = new ArrayList<>();
        LabelCollector labels = new LabelCollector();
        try {
            while (!in.isAtEnd()) {
                int tag = in.readTag();
                if (Wire.field(tag) == 1) {
                    Wire.expect(tag, Wire.LEN, "ReadResponse");
                    results.add(readQueryResult(in, labels, results.size()));
                } else {
                    Wire.skip(in, tag);
                }
            }
        } catch (IOException e) {
            throw new RemoteProtocolException("malformed ReadResponse in result " + results.size() + ": " + e.getMessage(),
                    Wire.offset(in), e);
        }
        return new ReadResponse(results);
    }

    private static QueryResult readQueryResult(CodedInputStream in, LabelCollector labels, int r) throws IOException {
        int old = Wire.enter(in);
        List<TimeSeries> series = new ArrayList<>();
        long[] ts = new long[16];
        double[] vs = new double[16];
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            if (Wire.field(tag) != 1) {
                Wire.skip(in, tag);
                continue;
            }
            Wire.expect(tag, Wire.LEN, "QueryResult");
            int o = Wire.enter(in);
            labels.reset();
            int n = 0;
            while (!in.isAtEnd()) {
                int t = in.readTag();
                switch (Wire.field(t)) {
                    case 1:
                        Wire.expect(t, Wire.LEN, "TimeSeries");
                        labels.readLabel(in);
                        break;
                    case 2: {
                        Wire.expect(t, Wire.LEN, "TimeSeries");
                        int so = Wire.enter(in);
                        long time = 0;
                        double v = 0;
                        while (!in.isAtEnd()) {
                            int st = in.readTag();
                            if (Wire.field(st) == 1) {
                                Wire.expect(st, Wire.FIXED64, "Sample");
                                v = Double.longBitsToDouble(in.readRawLittleEndian64());
                            } else if (Wire.field(st) == 2) {
                                Wire.expect(st, Wire.VARINT, "Sample");
                                time = in.readInt64();
                            } else {
                                Wire.skip(in, st);
                            }
                        }
                        in.popLimit(so);
                        if (n == ts.length) {
                            ts = Arrays.copyOf(ts, n * 2);
                            vs = Arrays.copyOf(vs, n * 2);
                        }
                        ts[n] = time;
                        vs[n] = v;
                        n++;
                        break;
                    }
                    default:
                        Wire.skip(in, t);
                }
            }
            in.popLimit(o);
            series.add(new TimeSeries(labels.build(true, "series", series.size()),
                    Arrays.copyOf(ts, n), Arrays.copyOf(vs, n)));
        }
        in.popLimit(old);
        return new QueryResult(series);
    }
}
