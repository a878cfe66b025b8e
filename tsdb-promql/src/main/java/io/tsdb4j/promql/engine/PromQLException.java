package io.tsdb4j.promql.engine;

/**
 * A query failed. {@link #type()} classifies the failure the way Prometheus's HTTP API does ({@code errorType}):
 * bad input, a failure during evaluation, a timeout or a cancellation.
 */
public final class PromQLException extends RuntimeException {
    /** Prometheus's error types, with their wire names. */
    public enum ErrorType {
        BAD_DATA("bad_data"), EXECUTION("execution"), TIMEOUT("timeout"), CANCELED("canceled"), INTERNAL("internal");

        private final String wireName;

        ErrorType(String wireName) {
            this.wireName = wireName;
        }

        /** The name used in Prometheus's API responses, e.g. {@code bad_data}. */
        public String wireName() {
            return wireName;
        }
    }

    private final ErrorType type;

    public PromQLException(ErrorType type, String message) {
        super(message);
        this.type = type;
    }

    public PromQLException(ErrorType type, String message, Throwable cause) {
        super(message, cause);
        this.type = type;
    }

    public ErrorType type() {
        return type;
    }

    static PromQLException execution(String message) {
        return new PromQLException(ErrorType.EXECUTION, message);
    }

    static PromQLException tooManySamples() {
        return new PromQLException(ErrorType.EXECUTION,
                "query processing would load too many samples into memory in query execution");
    }

    static PromQLException canceled(String env) {
        return new PromQLException(ErrorType.CANCELED, "query was canceled in " + env);
    }

    static PromQLException timeout(String env) {
        return new PromQLException(ErrorType.TIMEOUT, "query timed out in " + env);
    }
}
