package io.tsdb4j;

import io.tsdb4j.labels.Labels;

/**
 * One sample that was not stored, with why. Its message names the series and the timestamps involved, e.g.
 * {@code out of order sample for {__name__="up"}: t=1000 is before the series' last sample at t=2000}.
 */
public final class SampleRejectedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** Older than the newest sample of its series. */
        OUT_OF_ORDER("out of order sample"),
        /** Older than the window the head still accepts (it would belong in a persisted block). */
        TOO_OLD("out of bounds sample"),
        /** Same timestamp as the newest sample of the series, but a different value. */
        DUPLICATE_TIMESTAMP("duplicate sample for timestamp");

        private final String text;

        Reason(String text) {
            this.text = text;
        }

        /** Prometheus's wording for this reason. */
        public String text() {
            return text;
        }
    }

    private final Reason reason;
    private final transient Labels series;
    private final long timestamp;
    private final long boundary;

    public SampleRejectedException(Reason reason, Labels series, long timestamp, long boundary) {
        super(null, null, false, false); // rejections are data, not bugs: no stack trace
        this.reason = reason;
        this.series = series;
        this.timestamp = timestamp;
        this.boundary = boundary;
    }

    public Reason reason() {
        return reason;
    }

    public Labels series() {
        return series;
    }

    /** The rejected sample's timestamp. */
    public long timestamp() {
        return timestamp;
    }

    /** The series' newest timestamp (out of order, duplicate) or the head's oldest accepted time (too old). */
    public long boundary() {
        return boundary;
    }

    @Override
    public String getMessage() {
        String why;
        switch (reason) {
            case OUT_OF_ORDER: why = "is before the series' last sample at t=" + boundary; break;
            case TOO_OLD: why = "is before the oldest time the head accepts, t=" + boundary; break;
            default: why = "has a different value than the sample already stored at that time"; break;
        }
        return reason.text() + " for " + series + ": t=" + timestamp + " " + why;
    }
}
