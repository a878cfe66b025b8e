package io.tsdb4j.labels;

/** A label set that breaks Prometheus's rules: bad name, duplicate name. The message names what was wrong. */
public final class InvalidLabelsException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidLabelsException(String message) {
        super(message);
    }
}
