package io.tsdb4j.index;

/**
 * A chunk as the index sees it: the closed time range {@code [minTime, maxTime]} of its samples (milliseconds) and
 * its reference into the block's chunk files (upper 32 bits: file position, lower 32 bits: offset in the file).
 */
public record ChunkMeta(long minTime, long maxTime, long ref) {}
