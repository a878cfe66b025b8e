package io.tsdb4j.compress;

import java.io.IOException;

/** Snappy input that does not decode; the message starts with {@code "snappy: corrupt input"} (Prometheus's wording). */
public final class SnappyException extends IOException {
    private static final long serialVersionUID = 1L;
    private final long offset;

    public SnappyException(String message, long offset) {
        super(message);
        this.offset = offset;
    }

    /** Byte offset in the compressed input where decoding failed. */
    public long offset() {
        return offset;
    }
}
