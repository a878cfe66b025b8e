package io.tsdb4j.remote;

import com.google.protobuf.CodedOutputStream;
import io.tsdb4j.labels.Labels;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * Writes a {@code STREAMED_XOR_CHUNKS} remote-read answer: a sequence of frames
 *
 * <pre>
 * +-------------------+--------------------------------+---------------------------------+
 * | uvarint len(msg)  | CRC-32C(msg), 4 bytes big-end. | msg: ChunkedReadResponse        |
 * +-------------------+--------------------------------+---------------------------------+
 * </pre>
 *
 * each carrying chunks of one series (labels repeated in every frame of that series) and the query index. Chunks
 * are taken pre-encoded (TSDB chunk bytes plus min/max time), so this class does not depend on a chunk encoder.
 * A frame is emitted once its labels and chunks reach {@code maxBytesInFrame} (the chunk that crosses the target
 * stays in the frame, as in Prometheus), and when the series ends; empty frames are never written. Each frame is
 * written with one burst of {@code write} calls and followed by {@link OutputStream#flush()}, so a client sees
 * data as it is produced.
 *
 * <pre>{@code
 * w.startSeries(queryIndex, labels);
 * for (each chunk) w.addChunk(minT, maxT, RemoteChunk.XOR, bytes, 0, bytes.length);
 * ...
 * w.finish();
 * }</pre>
 *
 * <p>Chunk bytes are copied on {@link #addChunk}, so callers may reuse their buffers. The output stream is not
 * closed. Not thread-safe.
 */
public final class ChunkedReadResponseWriter {
    private final OutputStream out;
    private final int maxBytesInFrame;
    private final GrowableBuffer labelsBuf = new GrowableBuffer(256);
    private final GrowableBuffer chunksBuf = new GrowableBuffer(4096);
    private final byte[] header = new byte[32];
    private final CRC32C crc = new CRC32C();
    private boolean seriesOpen;
    private long queryIndex;
    private long frames;

    public ChunkedReadResponseWriter(OutputStream out) {
        this(out, RemoteHeaders.DEFAULT_MAX_BYTES_IN_FRAME);
    }

    public ChunkedReadResponseWriter(OutputStream out, int maxBytesInFrame) {
        this.out = Objects.requireNonNull(out, "out");
        if (maxBytesInFrame <= 0) throw new IllegalArgumentException("maxBytesInFrame must be positive: " + maxBytesInFrame);
        this.maxBytesInFrame = maxBytesInFrame;
    }

    /** Ends the previous series (writing its pending frame) and starts a new one. */
    public void startSeries(long queryIndex, Labels labels) throws IOException {
        Objects.requireNonNull(labels, "labels");
        finishSeries();
        this.queryIndex = queryIndex;
        labelsBuf.reset();
        CodedOutputStream cos = labelsBuf.reserve(LabelCollector.labelsFieldSize(labels));
        LabelCollector.writeLabels(cos, 1, labels);
        cos.checkNoSpaceLeft();
        seriesOpen = true;
    }

    /** Adds a pre-encoded chunk to the current series; writes a frame if the frame target is reached. */
    public void addChunk(long minTimeMs, long maxTimeMs, int encoding, byte[] data, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, data.length);
        if (!seriesOpen) throw new IllegalStateException("startSeries must be called before addChunk");
        int size = Wire.int64FieldSize(minTimeMs) + Wire.int64FieldSize(maxTimeMs)
                + (encoding == 0 ? 0 : 1 + CodedOutputStream.computeEnumSizeNoTag(encoding))
                + (len == 0 ? 0 : Wire.lenFieldSize(len));
        CodedOutputStream cos = chunksBuf.reserve(Wire.lenFieldSize(size));
        Wire.writeLenTag(cos, 2, size);
        Wire.writeInt64(cos, 1, minTimeMs);
        Wire.writeInt64(cos, 2, maxTimeMs);
        if (encoding != 0) cos.writeEnum(3, encoding);
        if (len > 0) cos.writeByteArray(4, data, off, len);
        cos.checkNoSpaceLeft();
        if (labelsBuf.size() + chunksBuf.size() >= maxBytesInFrame) writeFrame();
    }

    public void addChunk(RemoteChunk chunk) throws IOException {
        addChunk(chunk.minTimeMs(), chunk.maxTimeMs(), chunk.encoding(), chunk.data(), 0, chunk.data().length);
    }

    /** Ends the current series, writing its pending chunks. Call once after the last series. */
    public void finish() throws IOException {
        finishSeries();
        out.flush();
    }

    /** Frames written so far. */
    public long framesWritten() {
        return frames;
    }

    private void finishSeries() throws IOException {
        if (seriesOpen && chunksBuf.size() > 0) writeFrame();
        seriesOpen = false;
    }

    private void writeFrame() throws IOException {
        int seriesLen = labelsBuf.size() + chunksBuf.size();
        int msgLen = Wire.lenFieldSize(seriesLen) + Wire.int64FieldSize(queryIndex);
        // header = uvarint(msgLen) | crc (filled below) | series tag+len ; trailer = query_index field
        CodedOutputStream h = CodedOutputStream.newInstance(header);
        h.writeUInt32NoTag(msgLen);
        int crcAt = h.getTotalBytesWritten();
        h.writeFixed32NoTag(0);
        int prefixAt = h.getTotalBytesWritten();
        Wire.writeLenTag(h, 1, seriesLen);
        int trailerAt = h.getTotalBytesWritten();
        Wire.writeInt64(h, 2, queryIndex);
        int end = h.getTotalBytesWritten();
        crc.reset();
        crc.update(header, prefixAt, trailerAt - prefixAt);
        crc.update(labelsBuf.array(), 0, labelsBuf.size());
        crc.update(chunksBuf.array(), 0, chunksBuf.size());
        crc.update(header, trailerAt, end - trailerAt);
        int c = (int) crc.getValue();
        header[crcAt] = (byte) (c >>> 24);
        header[crcAt + 1] = (byte) (c >>> 16);
        header[crcAt + 2] = (byte) (c >>> 8);
        header[crcAt + 3] = (byte) c;
        out.write(header, 0, trailerAt);
        out.write(labelsBuf.array(), 0, labelsBuf.size());
        out.write(chunksBuf.array(), 0, chunksBuf.size());
        out.write(header, trailerAt, end - trailerAt);
        out.flush();
        chunksBuf.reset();
        frames++;
    }
}
