package io.tsdb4j.remote;

import java.io.IOException;

/**
 * Input that does not follow the remote write/read protocol: corrupt snappy data, malformed protobuf, invalid
 * labels, a bad frame checksum. The message names what was wrong and where (byte offset, series or query index);
 * a server answers it with 400. It is an {@link IOException} so that stream readers can report protocol errors
 * and transport errors through one {@code throws} clause while callers can still tell them apart.
 */
public final class RemoteProtocolException extends IOException {
    private static final long serialVersionUID = 1L;

    private final long offset;
    private final String detail;

    /** An error without a meaningful position. */
    public RemoteProtocolException(String message) {
        this(message, -1, null);
    }

    /** An error at byte {@code offset} of the input being decoded ({@code -1} if unknown). */
    public RemoteProtocolException(String message, long offset) {
        this(message, offset, null);
    }

    public RemoteProtocolException(String message, long offset, Throwable cause) {
        super(offset >= 0 ? message + " (at byte " + offset + ")" : message, cause);
        this.offset = offset;
        this.detail = message;
    }

    /** The message without the offset suffix (for wrapping into an outer context). */
    String detail() {
        return detail;
    }

    /** Byte offset in the decoded input (after snappy decompression for protobuf errors), or -1 if unknown. */
    public long offset() {
        return offset;
    }
}
