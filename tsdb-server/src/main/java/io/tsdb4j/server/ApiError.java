package io.tsdb4j.server;

/**
 * An API failure with Prometheus's {@code errorType} and HTTP status: {@code bad_data} 400, {@code execution} 422,
 * {@code canceled}/{@code timeout}/{@code unavailable} 503, {@code not_found} 404, {@code internal} 500.
 */
final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String type;
    private final int status;

    ApiError(String type, String message) {
        this(type, statusOf(type), message);
    }

    ApiError(String type, int status, String message) {
        super(message, null, false, false);
        this.type = type;
        this.status = status;
    }

    static ApiError badData(String message) {
        return new ApiError("bad_data", message);
    }

    /** Prometheus's {@code invalidParamError}: {@code invalid parameter "name": cause}. */
    static ApiError invalidParam(String param, String cause) {
        return new ApiError("bad_data", "invalid parameter \"" + param + "\": " + cause);
    }

    static int statusOf(String type) {
        switch (type) {
            case "bad_data": return 400;
            case "execution": return 422;
            case "canceled":
            case "timeout":
            case "unavailable": return 503;
            case "not_found": return 404;
            default: return 500;
        }
    }

    String type() {
        return type;
    }

    int status() {
        return status;
    }
}
