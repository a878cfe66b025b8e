package io.tsdb4j.remote;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * Reads the frames of a {@code STREAMED_XOR_CHUNKS} remote-read answer (see {@link ChunkedReadResponseWriter} for
 * the layout). The frame size is checked against a limit before its data is read; EOF inside a frame, an
 * oversized frame, a CRC mismatch or a malformed message fail with a {@link RemoteProtocolException} naming the
 * frame and its byte offset in the stream. Reads byte by byte for the length: pass a buffered stream. Not
 * thread-safe; does not close the stream.
 */
public final class ChunkedReadResponseReader {
    private final InputStream in;
    private final int maxFrameBytes;
    private final CRC32C crc = new CRC32C();
    private long offset;
    private long frame;

    /** A reader with Prometheus's default 50 MB frame limit. */
    public ChunkedReadResponseReader(InputStream in) {
        this(in, RemoteHeaders.DEFAULT_CHUNKED_READ_LIMIT);
    }

    public ChunkedReadResponseReader(InputStream in, int maxFrameBytes) {
        this.in = Objects.requireNonNull(in, "in");
        if (maxFrameBytes < 0) throw new IllegalArgumentException("negative frame limit " + maxFrameBytes);
        this.maxFrameBytes = maxFrameBytes;
    }

    /** The next frame's message, or null at the end of the stream (EOF exactly between frames). */
    public ChunkedReadResponse next() throws IOException {
        long frameStart = offset;
        long size = 0;
        for (int i = 0; ; i++) {
            int b = in.read();
            if (b < 0) {
                if (i == 0) return null;
                throw error("stream ends inside the frame length", frameStart);
            }
            offset++;
            if (i == 9 && b > 1) throw error("frame length varint overflows 64 bits", frameStart);
            size |= (long) (b & 0x7F) << (7 * i);
            if (b < 0x80) break;
        }
        if (size < 0 || size > maxFrameBytes) {
            throw error("frame size " + Long.toUnsignedString(size) + " exceeds the limit of " + maxFrameBytes + " bytes", frameStart);
        }
        byte[] crcBytes = in.readNBytes(4);
        offset += crcBytes.length;
        if (crcBytes.length < 4) throw error("stream ends inside the frame checksum", frameStart);
        byte[] data = in.readNBytes((int) size); // grows as data arrives: a lying size cannot allocate it all up front
        offset += data.length;
        if (data.length < size) {
            throw error("stream ends inside the frame data (" + data.length + " of " + size + " bytes)", frameStart);
        }
        int expected = (crcBytes[0] & 0xFF) << 24 | (crcBytes[1] & 0xFF) << 16 | (crcBytes[2] & 0xFF) << 8 | (crcBytes[3] & 0xFF);
        crc.reset();
        crc.update(data, 0, data.length);
        int actual = (int) crc.getValue();
        if (actual != expected) {
            throw error(String.format("frame checksum mismatch: frame says %08x, data has %08x", expected, actual), frameStart);
        }
        ChunkedReadResponse msg;
        try {
            msg = ChunkedReadResponse.parse(data, 0, data.length);
        } catch (RemoteProtocolException e) {
            throw new RemoteProtocolException("streamed read response frame " + frame + ": " + e.detail()
                    + " at byte " + e.offset() + " of the frame's message", frameStart, e);
        }
        frame++;
        return msg;
    }

    /** Bytes consumed from the stream so far. */
    public long offset() {
        return offset;
    }

    private RemoteProtocolException error(String what, long at) {
        return new RemoteProtocolException("streamed read response frame " + frame + ": " + what, at,
                what.startsWith("stream ends") ? new EOFException(what) : null);
    }
}
