package io.tsdb4j.block;

import io.tsdb4j.chunk.XorChunk;

import java.util.Objects;

/**
 * One XOR chunk of a series as written to or read from a block: the closed time range of its samples and its
 * bytes (sample-count header included, no trailing slack). The array is owned by this record's creator and must
 * not be modified once handed over.
 */
public record ChunkData(long minTime, long maxTime, byte[] bytes) {
    public ChunkData {
        Objects.requireNonNull(bytes, "bytes");
        if (minTime > maxTime) throw new IllegalArgumentException("chunk minTime " + minTime + " > maxTime " + maxTime);
        if (bytes.length < 2) throw new IllegalArgumentException("chunk of " + bytes.length + " bytes has no header");
    }

    /** Builds the record from a finished chunk (its time range read from the samples). */
    public static ChunkData of(XorChunk c) {
        if (c.numSamples() == 0) throw new IllegalArgumentException("empty chunk");
        XorChunk.Iterator it = c.iterator();
        it.next();
        return new ChunkData(it.t(), c.lastTime(), c.bytes());
    }

    /** The sample count stored in the chunk header. */
    public int numSamples() {
        return XorChunk.numSamples(bytes, 0);
    }

    /** A fresh iterator over the chunk's samples. */
    public XorChunk.Iterator iterator() {
        return XorChunk.iterator(bytes, numSamples());
    }
}
