package io.tsdb4j.remote;

import java.util.List;
import java.util.Objects;

/**
 * {@code ReadHints} of a remote-read query: what the querying PromQL expression will do with the data. Purely
 * advisory. Absent strings are empty, absent numbers zero. Immutable.
 */
public record ReadHints(long stepMs, String func, long startMs, long endMs, List<String> grouping, boolean by, long rangeMs) {
    public ReadHints {
        Objects.requireNonNull(func, "func");
        grouping = List.copyOf(grouping);
    }
}
