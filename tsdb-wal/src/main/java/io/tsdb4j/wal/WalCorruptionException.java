package io.tsdb4j.wal;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The WAL content is damaged: a CRC mismatch, a torn record, an invalid fragment type or sequence, non-zero
 * page padding, or a record that does not decompress. {@link #offset()} is the byte offset, within segment
 * file {@link #segment()} of directory {@link #dir()}, where the damaged record starts: every record before it
 * is intact, so it is the cut point for {@link WalRepair}.
 */
public final class WalCorruptionException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path dir;
    private final int segment;
    private final long offset;
    private final String reason;

    public WalCorruptionException(Path dir, int segment, long offset, String reason) {
        super("WAL corruption in " + dir + ", segment " + WalFormat.segmentName(Math.max(segment, 0))
            + ", record at offset " + offset + ": " + reason);
        this.dir = dir;
        this.segment = segment;
        this.offset = offset;
        this.reason = reason;
    }

    /** Directory holding the damaged segment (the WAL directory, or a checkpoint directory inside it). */
    public Path dir() {
        return dir;
    }

    /** Index of the damaged segment file. */
    public int segment() {
        return segment;
    }

    /** Offset in the segment file where the first damaged record (or damaged padding) starts. */
    public long offset() {
        return offset;
    }

    /** What was wrong, without the location. */
    public String reason() {
        return reason;
    }
}
