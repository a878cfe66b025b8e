package io.tsdb4j.index;

import java.nio.file.Path;

/**
 * An index file's bytes are not a valid v2 index: bad magic, checksum mismatch, a length or reference that points
 * outside its section, a malformed varint. Names the file and the absolute byte offset of the damaged structure.
 *
 * <p>Unchecked, so that read paths over a memory-mapped file (which cannot fail with an I/O error once mapped)
 * need not declare {@code IOException}; every corruption the reader detects, when opening or later, is this type.
 * File-system errors while opening remain {@link java.io.IOException}.
 */
public final class IndexCorruptionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long offset;

    public IndexCorruptionException(Path file, long offset, String message) {
        super("corrupt index " + file + " at offset " + offset + ": " + message);
        this.file = file;
        this.offset = offset;
    }

    /** The index file. */
    public Path file() {
        return file;
    }

    /** Absolute file offset of the structure that failed validation. */
    public long offset() {
        return offset;
    }
}
