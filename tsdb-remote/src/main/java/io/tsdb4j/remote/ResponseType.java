package io.tsdb4j.remote;

/** {@code ReadRequest.ResponseType}: how a remote-read server answers, with its wire numbers. */
public enum ResponseType {
    /** A snappy-compressed {@code ReadResponse} of samples. */
    SAMPLES(0),
    /** A stream of {@code ChunkedReadResponse} frames carrying XOR chunks. */
    STREAMED_XOR_CHUNKS(1);

    private final int number;

    ResponseType(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    /** The type with wire number {@code n}, or null if this version does not know it. */
    public static ResponseType forNumber(int n) {
        switch (n) {
            case 0: return SAMPLES;
            case 1: return STREAMED_XOR_CHUNKS;
            default: return null;
        }
    }
}
