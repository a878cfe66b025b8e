package io.tsdb4j.remote;

import io.tsdb4j.compress.SnappyException;

/**
 * Snappy block format for the remote protocols: {@link io.tsdb4j.compress.Snappy} with errors reported as
 * {@link RemoteProtocolException} (message starting {@code "snappy: corrupt input"}, Prometheus's wording) and
 * the remote protocols' default size limit. Stateless and thread-safe.
 */
public final class Snappy {
    private Snappy() {
    }

    public static byte[] compress(byte[] src) {
        return compress(src, 0, src.length);
    }

    public static byte[] compress(byte[] src, int off, int len) {
        return io.tsdb4j.compress.Snappy.compress(src, off, len);
    }

    /** Decompresses a whole block with the {@linkplain RemoteHeaders#DEFAULT_MAX_DECODED_BYTES default limit}. */
    public static byte[] decompress(byte[] src) throws RemoteProtocolException {
        return decompress(src, 0, src.length, RemoteHeaders.DEFAULT_MAX_DECODED_BYTES);
    }

    /** Decompresses {@code src[off, off+len)}; the declared length is checked against the limit before allocating. */
    public static byte[] decompress(byte[] src, int off, int len, int maxDecodedBytes) throws RemoteProtocolException {
        try {
            return io.tsdb4j.compress.Snappy.decompress(src, off, len, maxDecodedBytes);
        } catch (SnappyException e) {
            throw new RemoteProtocolException(e.getMessage(), e.offset(), e);
        }
    }

    /** The decoded length a block declares in its header, without decoding it. */
    public static long decodedLength(byte[] src, int off, int len) throws RemoteProtocolException {
        try {
            return io.tsdb4j.compress.Snappy.decodedLength(src, off, len);
        } catch (SnappyException e) {
            throw new RemoteProtocolException(e.getMessage(), e.offset(), e);
        }
    }
}
