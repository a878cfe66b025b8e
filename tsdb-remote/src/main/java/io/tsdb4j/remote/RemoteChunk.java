package io.tsdb4j.remote;

import java.util.Arrays;
import java.util.Objects;

/**
 * A {@code Chunk} of a streamed remote-read response: pre-encoded TSDB chunk bytes (for XOR: starting with the
 * 2-byte big-endian sample count, exactly as on disk) with the times of its first and last sample, inclusive.
 * The record does not copy {@code data}; treat it as immutable.
 */
public record RemoteChunk(long minTimeMs, long maxTimeMs, int encoding, byte[] data) {
    /** {@code Chunk.Encoding} numbers (equal to the TSDB chunk encoding ids). */
    public static final int UNKNOWN = 0;
    public static final int XOR = 1;
    public static final int HISTOGRAM = 2;

    public RemoteChunk {
        Objects.requireNonNull(data, "data");
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RemoteChunk)) return false;
        RemoteChunk c = (RemoteChunk) o;
        return minTimeMs == c.minTimeMs && maxTimeMs == c.maxTimeMs && encoding == c.encoding && Arrays.equals(data, c.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(minTimeMs, maxTimeMs, encoding) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "RemoteChunk[" + minTimeMs + ".." + maxTimeMs + ", encoding=" + encoding + ", " + data.length + " bytes]";
    }
}
