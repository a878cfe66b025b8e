package io.tsdb4j.remote;

import com.google.protobuf.CodedInputStream;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One frame's message of a {@code STREAMED_XOR_CHUNKS} answer: the chunked series (Prometheus puts exactly one in
 * each frame) and the index of the query they answer. Immutable.
 */
public record ChunkedReadResponse(List<ChunkedSeries> chunkedSeries, long queryIndex) {
    public ChunkedReadResponse {
        chunkedSeries = List.copyOf(chunkedSeries);
    }

    /** Decodes the protobuf message of one frame ({@code buf[off, off+len)}); error offsets count from {@code off}. */
    public static ChunkedReadResponse parse(byte[] buf, int off, int len) throws RemoteProtocolException {
        Objects.checkFromIndexSize(off, len, buf.length);
        CodedInputStream in = CodedInputStream.newInstance(buf, off, len);
        List<ChunkedSeries> series = new ArrayList<>(1);
        long queryIndex = 0;
        LabelCollector labels = new LabelCollector();
        try {
            while (!in.isAtEnd()) {
                int tag = in.readTag();
                switch (Wire.field(tag)) {
                    case 1:
                        Wire.expect(tag, Wire.LEN, "ChunkedReadResponse");
                        series.add(readSeries(in, labels, series.size()));
                        break;
                    case 2:
                        Wire.expect(tag, Wire.VARINT, "ChunkedReadResponse");
                        queryIndex = in.readInt64();
                        break;
                    default:
                        Wire.skip(in, tag);
                }
            }
        } catch (IOException e) {
            throw new RemoteProtocolException("malformed ChunkedReadResponse in series " + series.size() + ": "
                    + e.getMessage(), Wire.offset(in), e);
        }
        return new ChunkedReadResponse(series, queryIndex);
    }

    private static ChunkedSeries readSeries(CodedInputStream in, LabelCollector labels, int s) throws IOException {
        int old = Wire.enter(in);
        labels.reset();
        List<RemoteChunk> chunks = new ArrayList<>();
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            switch (Wire.field(tag)) {
                case 1:
                    Wire.expect(tag, Wire.LEN, "ChunkedSeries");
                    labels.readLabel(in);
                    break;
                case 2:
                    Wire.expect(tag, Wire.LEN, "ChunkedSeries");
                    chunks.add(readChunk(in));
                    break;
                default:
                    Wire.skip(in, tag);
            }
        }
        in.popLimit(old);
        return new ChunkedSeries(labels.build(true, "chunked series", s), chunks);
    }

    private static RemoteChunk readChunk(CodedInputStream in) throws IOException {
        int old = Wire.enter(in);
        long min = 0, max = 0;
        int type = 0;
        byte[] data = new byte[0];
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            switch (Wire.field(tag)) {
                case 1: Wire.expect(tag, Wire.VARINT, "Chunk"); min = in.readInt64(); break;
                case 2: Wire.expect(tag, Wire.VARINT, "Chunk"); max = in.readInt64(); break;
                case 3: Wire.expect(tag, Wire.VARINT, "Chunk"); type = in.readEnum(); break;
                case 4: Wire.expect(tag, Wire.LEN, "Chunk"); data = in.readByteArray(); break;
                default: Wire.skip(in, tag);
            }
        }
        in.popLimit(old);
        return new RemoteChunk(min, max, type, data);
    }
}
