package io.tsdb4j.remote;

/**
 * A {@code SAMPLES} remote-read response would carry more samples than allowed
 * ({@code --storage.remote.read-sample-limit}); the server answers 400 with this message, as Prometheus does.
 */
public final class SampleLimitExceededException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long limit;

    public SampleLimitExceededException(long limit) {
        super("exceeded sample limit (" + limit + ")");
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }
}
