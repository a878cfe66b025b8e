package io.tsdb4j.record;

/** A WAL record of a known type whose bytes do not decode. The message says which record kind and why. */
public final class RecordFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RecordFormatException(String message) {
        super(message);
    }
}
