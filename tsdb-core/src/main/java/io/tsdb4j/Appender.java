package io.tsdb4j;

import io.tsdb4j.labels.Labels;

import java.io.IOException;

/**
 * A batch of samples that becomes visible, and durable per the sync policy, all at once on {@link #commit()}.
 * Nothing appended is visible to any querier before {@code commit()} returns; {@link #rollback()} discards the
 * batch. An appender is used by one thread at a time and is finished by exactly one commit or rollback; get a
 * new one from {@link Tsdb#appender()} for the next batch (they are cheap).
 *
 * <p>A sample that cannot be stored (out of order, older than the head's window, a duplicate timestamp with a
 * different value) is rejected on its own: {@code append} throws {@link SampleRejectedException} naming the
 * series and timestamps, the rejection is counted, and the rest of the batch is unaffected. Samples that a
 * concurrent commit made out of order between {@code append} and {@code commit} are reported in
 * {@link CommitResult#rejected()}.
 */
public interface Appender {
    /**
     * Appends a sample to the series with these labels, creating the series if needed.
     *
     * @return the series reference, valid for {@link #append(long, long, double)} in this and later appenders
     *         for as long as the series lives in the head
     * @throws SampleRejectedException if the sample is rejected (the batch stays usable)
     * @throws io.tsdb4j.labels.InvalidLabelsException if the labels are empty or lack a metric name
     */
    long append(Labels labels, long timestampMillis, double value);

    /**
     * The fast path: appends to a series by reference, with no label hashing or lookup.
     *
     * @throws SampleRejectedException if the sample is rejected (the batch stays usable)
     * @throws IllegalArgumentException if no series has that reference
     */
    void append(long seriesRef, long timestampMillis, double value);

    /**
     * Makes the batch visible and writes it to the WAL; returns when it is as durable as the sync policy says.
     * After an I/O error the database refuses further commits until it is reopened: nothing half-written is
     * ever visible.
     */
    CommitResult commit() throws IOException;

    /** Discards the batch. */
    void rollback();
}
