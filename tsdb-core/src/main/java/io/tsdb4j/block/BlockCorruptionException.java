package io.tsdb4j.block;

/**
 * A block is damaged: its meta.json, index, chunk files or tombstones failed validation, when opening or on a
 * later read. Names the block's ULID (or its directory name when the meta itself is unreadable) and the reason;
 * the cause, when present, is the {@link FileCorruptionException} or {@link io.tsdb4j.index.IndexCorruptionException}
 * with file and offset. Unchecked, since it can surface while iterating query results.
 */
public final class BlockCorruptionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String ulid;
    private final String reason;

    public BlockCorruptionException(String ulid, String reason, Throwable cause) {
        super("block " + ulid + " is corrupt: " + reason, cause);
        this.ulid = ulid;
        this.reason = reason;
    }

    public BlockCorruptionException(String ulid, String reason) {
        this(ulid, reason, null);
    }

    /** The block's ULID as text (the directory name if the meta could not be read). */
    public String ulid() {
        return ulid;
    }

    public String reason() {
        return reason;
    }
}
