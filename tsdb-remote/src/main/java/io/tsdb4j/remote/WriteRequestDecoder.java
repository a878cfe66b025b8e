package io.tsdb4j.remote;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.tsdb4j.labels.Labels;

import java.io.IOException;

/**
 * Decodes a remote-write 1.0 {@code WriteRequest} (the protobuf bytes, after snappy) into a reusable
 * {@link WriteRequest}. The whole body is decoded and validated before {@code decode} returns, so a caller
 * decodes first and appends after: a body that fails commits nothing.
 *
 * <p>Accepted: fields in any order, unknown fields (skipped, including groups), packed and unpacked repeated
 * numeric fields, unsorted labels (sorted here). Rejected with a {@link RemoteProtocolException} naming the
 * timeseries or metadata index and byte offset: truncation, wrong wire types for known fields, invalid UTF-8 in
 * any string, invalid or duplicate label names, a series without labels. Empty label values are dropped, as in
 * {@link Labels}.
 *
 * <p>Allocation: a {@link Labels} per series and exemplar (label strings are cached per decoder), nothing per
 * sample once the target's arrays have grown; with a {@link LabelSetCache}, nothing for a series seen before.
 * Not thread-safe; use one decoder per thread (it holds scratch space).
 */
public final class WriteRequestDecoder {
    private final LabelCollector seriesLabels = new LabelCollector();
    private final LabelCollector exemplarLabels = new LabelCollector();
    private final LabelSetCache labelSets;
    private String where = "";
    private int index;
    /** The array being decoded and where the message starts in it, for looking label runs up in place. */
    private byte[] buf;
    private int bufOff;

    public WriteRequestDecoder() {
        this(null);
    }

    /** A decoder that looks series' label sets up in {@code labelSets} (null: none) and adds the ones it builds. */
    public WriteRequestDecoder(LabelSetCache labelSets) {
        this.labelSets = labelSets;
    }

    /**
     * Decompresses a snappy request body (refusing to decode more than {@code maxDecodedBytes}) and decodes it
     * into {@code into}; see {@link #decode(byte[], int, int, WriteRequest)}.
     */
    public void decodeSnappy(byte[] body, int maxDecodedBytes, WriteRequest into) throws RemoteProtocolException {
        decodeSnappy(body, 0, body.length, maxDecodedBytes, into);
    }

    /** Largest decoded body whose buffer is kept for the next request; bigger ones are dropped after use. */
    private static final int KEEP_DECODED = 8 << 20;
    private byte[] decoded = new byte[64 << 10];

    /**
     * Decompresses {@code body[off, off+len)} into this decoder's reusable buffer and decodes it (so a steady
     * stream of requests allocates no decompression buffers).
     */
    public void decodeSnappy(byte[] body, int off, int len, int maxDecodedBytes, WriteRequest into) throws RemoteProtocolException {
        into.clear();
        int n;
        try {
            long declared = io.tsdb4j.compress.Snappy.decodedLength(body, off, len);
            if (declared > maxDecodedBytes) {
                throw new RemoteProtocolException("snappy: decoded length " + declared + " exceeds the limit of " + maxDecodedBytes + " bytes", 0);
            }
            if (decoded.length < declared) decoded = new byte[(int) Math.max(declared, Math.min(maxDecodedBytes, decoded.length * 2L))];
            n = io.tsdb4j.compress.Snappy.decompress(body, off, len, decoded, 0, maxDecodedBytes);
        } catch (io.tsdb4j.compress.SnappyException e) {
            throw new RemoteProtocolException(e.getMessage(), e.offset(), e);
        }
        try {
            decode(decoded, 0, n, into);
        } finally {
            if (decoded.length > KEEP_DECODED) decoded = new byte[64 << 10];
        }
    }

    /** Decodes all of {@code protobuf}; see {@link #decode(byte[], int, int, WriteRequest)}. */
    public void decode(byte[] protobuf, WriteRequest into) throws RemoteProtocolException {
        decode(protobuf, 0, protobuf.length, into);
    }

    /**
     * Clears {@code into} and fills it from the {@code WriteRequest} in {@code buf[off, off+len)}. On failure
     * {@code into} is left empty. Offsets in errors count from {@code off}.
     */
    public void decode(byte[] buf, int off, int len, WriteRequest into) throws RemoteProtocolException {
        java.util.Objects.checkFromIndexSize(off, len, buf.length);
        into.clear();
        CodedInputStream in = CodedInputStream.newInstance(buf, off, len);
        this.buf = buf;
        this.bufOff = off;
        seriesLabels.source(buf, off);
        exemplarLabels.source(buf, off);
        where = "";
        index = -1;
        try {
            while (!in.isAtEnd()) {
                int tag = in.readTag();
                switch (Wire.field(tag)) {
                    case 1:
                        where = "timeseries ";
                        index = into.seriesCount();
                        Wire.expect(tag, Wire.LEN, "WriteRequest");
                        readTimeSeries(in, into);
                        break;
                    case 3:
                        where = "metadata ";
                        index = into.metadata().size();
                        Wire.expect(tag, Wire.LEN, "WriteRequest");
                        into.addMetadata(readMetadata(in));
                        break;
                    default:
                        where = "";
                        index = -1;
                        Wire.skip(in, tag);
                }
            }
        } catch (InvalidProtocolBufferException e) {
            into.clear();
            String ctx = index < 0 ? "" : " in " + where + index;
            throw new RemoteProtocolException("malformed WriteRequest" + ctx + ": " + e.getMessage(), Wire.offset(in), e);
        } catch (IOException e) {
            into.clear();
            throw new RemoteProtocolException("malformed WriteRequest: " + e.getMessage(), Wire.offset(in), e);
        } finally {
            this.buf = null;
            seriesLabels.reset();
            exemplarLabels.reset();
        }
    }

    private void readTimeSeries(CodedInputStream in, WriteRequest into) throws IOException {
        int old = Wire.enter(in);
        seriesLabels.reset();
        // Senders write the labels first: look the run of Label fields at the start up by its bytes.
        int runStart = bufOff + in.getTotalBytesRead();
        int runEnd = labelSets == null ? runStart : labelRunEnd(buf, runStart, runStart + in.getBytesUntilLimit());
        Labels cached = runEnd == runStart ? null : labelSets.get(buf, runStart, runEnd - runStart);
        if (cached != null) in.skipRawBytes(runEnd - runStart);
        boolean labelsAfterRun = false;
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            switch (Wire.field(tag)) {
                case 1:
                    Wire.expect(tag, Wire.LEN, "TimeSeries");
                    if (bufOff + in.getTotalBytesRead() > runEnd) labelsAfterRun = true;
                    if (cached != null) { // more labels after the run: decode the run after all
                        seriesLabels.readLabels(runStart, runEnd);
                        cached = null;
                    }
                    seriesLabels.readLabel(in);
                    break;
                case 2:
                    Wire.expect(tag, Wire.LEN, "TimeSeries");
                    readSample(in, into);
                    break;
                case 3:
                    Wire.expect(tag, Wire.LEN, "TimeSeries");
                    readExemplar(in, into);
                    break;
                case 4:
                    Wire.expect(tag, Wire.LEN, "TimeSeries");
                    into.addHistogram(readHistogram(in));
                    break;
                default:
                    Wire.skip(in, tag);
            }
        }
        in.popLimit(old);
        if (cached != null) {
            into.endSeries(cached);
            return;
        }
        Labels labels = seriesLabels.build(true, "series", -1);
        if (runEnd > runStart && !labelsAfterRun) labelSets.put(buf, runStart, runEnd - runStart, labels);
        into.endSeries(labels);
    }

    /**
     * End of the run of {@code Label} fields (one-byte tag {@code 0x0A}, length within {@code end}) starting at
     * {@code p}; {@code p} if there is none. Only lengths are read: the normal parse validates the contents.
     */
    private static int labelRunEnd(byte[] b, int p, int end) {
        while (p < end && b[p] == 0x0A) {
            int q = p + 1;
            int len = 0;
            for (int shift = 0; ; shift += 7) {
                if (q == end || shift > 28) return p;
                int c = b[q++];
                len |= (c & 0x7F) << shift;
                if (c >= 0) break;
            }
            if (len < 0 || len > end - q) return p;
            p = q + len;
        }
        return p;
    }

    private static void readSample(CodedInputStream in, WriteRequest into) throws IOException {
        int old = Wire.enter(in);
        double v = 0;
        long t = 0;
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            switch (Wire.field(tag)) {
                case 1:
                    Wire.expect(tag, Wire.FIXED64, "Sample");
                    v = Double.longBitsToDouble(in.readRawLittleEndian64()); // raw bits: keeps stale-NaN exact
                    break;
                case 2:
                    Wire.expect(tag, Wire.VARINT, "Sample");
                    t = in.readInt64();
                    break;
                default:
                    Wire.skip(in, tag);
            }
        }
        in.popLimit(old);
        into.addSample(t, v);
    }

    private void readExemplar(CodedInputStream in, WriteRequest into) throws IOException {
        int old = Wire.enter(in);
        exemplarLabels.reset();
        double v = 0;
        long t = 0;
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            switch (Wire.field(tag)) {
                case 1:
                    Wire.expect(tag, Wire.LEN, "Exemplar");
                    exemplarLabels.readLabel(in);
                    break;
                case 2:
                    Wire.expect(tag, Wire.FIXED64, "Exemplar");
                    v = Double.longBitsToDouble(in.readRawLittleEndian64());
                    break;
                case 3:
                    Wire.expect(tag, Wire.VARINT, "Exemplar");
                    t = in.readInt64();
                    break;
                default:
                    Wire.skip(in, tag);
            }
        }
        in.popLimit(old);
        into.addExemplar(exemplarLabels.build(false, "exemplar", into.exemplarCount()), t, v);
    }

    /** Validates a native {@code Histogram} message and returns its timestamp. */
    private static long readHistogram(CodedInputStream in) throws IOException {
        int old = Wire.enter(in);
        long t = 0;
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            int field = Wire.field(tag);
            switch (field) {
                case 1: case 4: case 6: case 14:
                    Wire.expect(tag, Wire.VARINT, "Histogram");
                    in.readRawVarint64();
                    break;
                case 15:
                    Wire.expect(tag, Wire.VARINT, "Histogram");
                    t = in.readInt64();
                    break;
                case 2: case 3: case 5: case 7:
                    Wire.expect(tag, Wire.FIXED64, "Histogram");
                    in.readRawLittleEndian64();
                    break;
                case 8: case 11:
                    Wire.expect(tag, Wire.LEN, "Histogram");
                    readBucketSpan(in);
                    break;
                case 9: case 12: // repeated sint64, packed or not
                    if (Wire.wireType(tag) == Wire.LEN) {
                        int o = Wire.enter(in);
                        while (!in.isAtEnd()) in.readRawVarint64();
                        in.popLimit(o);
                    } else {
                        Wire.expect(tag, Wire.VARINT, "Histogram");
                        in.readRawVarint64();
                    }
                    break;
                case 10: case 13: // repeated double, packed or not
                    if (Wire.wireType(tag) == Wire.LEN) {
                        int n = in.readRawVarint32();
                        if (n < 0 || n % 8 != 0) {
                            throw new InvalidProtocolBufferException("packed double field " + field
                                    + " of Histogram has length " + n + ", not a multiple of 8");
                        }
                        in.skipRawBytes(n);
                    } else {
                        Wire.expect(tag, Wire.FIXED64, "Histogram");
                        in.readRawLittleEndian64();
                    }
                    break;
                default:
                    Wire.skip(in, tag);
            }
        }
        in.popLimit(old);
        return t;
    }

    private static void readBucketSpan(CodedInputStream in) throws IOException {
        int old = Wire.enter(in);
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            int field = Wire.field(tag);
            if (field == 1 || field == 2) {
                Wire.expect(tag, Wire.VARINT, "BucketSpan");
                in.readRawVarint64();
            } else {
                Wire.skip(in, tag);
            }
        }
        in.popLimit(old);
    }

    private static MetricMetadata readMetadata(CodedInputStream in) throws IOException {
        int old = Wire.enter(in);
        int type = 0;
        String family = "", help = "", unit = "";
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            switch (Wire.field(tag)) {
                case 1:
                    Wire.expect(tag, Wire.VARINT, "MetricMetadata");
                    type = in.readEnum();
                    break;
                case 2:
                    Wire.expect(tag, Wire.LEN, "MetricMetadata");
                    family = Wire.readUtf8(in, "metric_family_name");
                    break;
                case 4:
                    Wire.expect(tag, Wire.LEN, "MetricMetadata");
                    help = Wire.readUtf8(in, "help");
                    break;
                case 5:
                    Wire.expect(tag, Wire.LEN, "MetricMetadata");
                    unit = Wire.readUtf8(in, "unit");
                    break;
                default:
                    Wire.skip(in, tag);
            }
        }
        in.popLimit(old);
        return new MetricMetadata(MetricType.forNumber(type), family, help, unit);
    }
}
