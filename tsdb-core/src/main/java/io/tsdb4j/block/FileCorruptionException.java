package io.tsdb4j.block;

import java.nio.file.Path;

/**
 * A block file's bytes are invalid: bad magic or version, checksum mismatch, a reference or length outside the
 * file, malformed JSON. Names the file and the byte offset of the damaged structure ({@code -1} if unknown).
 * Unchecked, like {@link io.tsdb4j.index.IndexCorruptionException}, since reads go through memory mappings;
 * {@link Block} wraps it in a {@link BlockCorruptionException} naming the block.
 */
public final class FileCorruptionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long offset;

    public FileCorruptionException(Path file, long offset, String message) {
        this(file, offset, message, null);
    }

    public FileCorruptionException(Path file, long offset, String message, Throwable cause) {
        super("corrupt " + file + (offset >= 0 ? " at offset " + offset : "") + ": " + message, cause);
        this.file = file;
        this.offset = offset;
    }

    public Path file() {
        return file;
    }

    /** Byte offset of the damaged structure, or -1 if unknown. */
    public long offset() {
        return offset;
    }
}
