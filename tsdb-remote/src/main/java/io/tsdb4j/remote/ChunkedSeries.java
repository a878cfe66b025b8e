package io.tsdb4j.remote;

import io.tsdb4j.labels.Labels;

import java.util.List;
import java.util.Objects;

/** {@code ChunkedSeries}: a series' labels and (some of) its chunks, ordered by min time. Immutable. */
public record ChunkedSeries(Labels labels, List<RemoteChunk> chunks) {
    public ChunkedSeries {
        Objects.requireNonNull(labels, "labels");
        chunks = List.copyOf(chunks);
    }
}
