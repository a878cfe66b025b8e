package io.tsdb4j.remote;

/** HTTP header names and values of the remote write 1.0 and remote read protocols, in one place. */
public final class RemoteHeaders {
    private RemoteHeaders() {
    }

    public static final String CONTENT_TYPE = "Content-Type";
    public static final String CONTENT_ENCODING = "Content-Encoding";
    public static final String ACCEPT_ENCODING = "Accept-Encoding";
    public static final String USER_AGENT = "User-Agent";
    public static final String RETRY_AFTER = "Retry-After";

    /** The only content encoding of write requests and of read requests / {@code SAMPLES} responses. */
    public static final String SNAPPY = "snappy";
    /** Content type of write requests, read requests and {@code SAMPLES} read responses. */
    public static final String CONTENT_TYPE_PROTOBUF = "application/x-protobuf";
    /** Content type of a {@code STREAMED_XOR_CHUNKS} read response (sent without content encoding). */
    public static final String CONTENT_TYPE_STREAMED_CHUNKS =
            "application/x-streamed-protobuf; proto=prometheus.ChunkedReadResponse";

    public static final String REMOTE_WRITE_VERSION_HEADER = "X-Prometheus-Remote-Write-Version";
    public static final String REMOTE_WRITE_VERSION = "0.1.0";
    public static final String REMOTE_READ_VERSION_HEADER = "X-Prometheus-Remote-Read-Version";
    public static final String REMOTE_READ_VERSION = "0.1.0";

    /** Largest decompressed request body accepted by default (Prometheus reads remote read bodies up to 32 MiB). */
    public static final int DEFAULT_MAX_DECODED_BYTES = 32 << 20;
    /** Default frame size target of streamed read responses ({@code --storage.remote.read-max-bytes-in-frame}). */
    public static final int DEFAULT_MAX_BYTES_IN_FRAME = 1 << 20;
    /** Largest frame a streamed-response reader accepts by default (Prometheus's {@code DefaultChunkedReadLimit}). */
    public static final int DEFAULT_CHUNKED_READ_LIMIT = 50 * 1024 * 1024;
}
