package io.tsdb4j.wal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Writes one checkpoint (see {@link Checkpoint#begin}). Records go to a {@link Wal} in the {@code .tmp}
 * directory; {@link #commit()} makes it durable and renames it atomically; {@link #abort()} (or {@link #close()}
 * without commit) deletes it. Thread-safe for logging like {@link Wal}; commit/abort are called once by the
 * owner.
 */
public final class CheckpointWriter implements Closeable {
    private static final System.Logger LOG = System.getLogger(CheckpointWriter.class.getName());

    private final Path walDir;
    private final int index;
    private final Path tmpDir;
    private final Wal wal;
    private boolean finished;

    CheckpointWriter(Path walDir, int index, Path tmpDir, Wal wal) {
        this.walDir = walDir;
        this.index = index;
        this.tmpDir = tmpDir;
        this.wal = wal;
    }

    /** Last WAL segment this checkpoint covers. */
    public int index() {
        return index;
    }

    /** Appends a record (buffered; pages are written as they fill and on commit). */
    public long log(byte[] rec, int off, int len) throws IOException {
        return wal.append(rec, off, len);
    }

    /** Appends a batch of records. */
    public long log(List<byte[]> recs) throws IOException {
        return wal.log(recs);
    }

    /**
     * Closes (pads, fsyncs) the checkpoint's segment, fsyncs its directory, renames it to
     * {@code checkpoint.NNNNNNNN} (replacing an existing one of that index) and fsyncs the WAL directory.
     *
     * @return the finished checkpoint directory
     */
    public Path commit() throws IOException {
        if (finished) {
            throw new IllegalStateException("checkpoint " + tmpDir + " already committed or aborted");
        }
        finished = true;
        wal.close();
        FileUtil.fsyncDir(tmpDir);
        Path target = walDir.resolve(Checkpoint.name(index));
        if (Files.exists(target)) {
            FileUtil.deleteRecursively(target);
        }
        Files.move(tmpDir, target, StandardCopyOption.ATOMIC_MOVE);
        FileUtil.fsyncDir(walDir);
        LOG.log(System.Logger.Level.DEBUG, "WAL checkpoint {0} committed", target);
        return target;
    }

    /** Discards the checkpoint under construction. No-op after commit. */
    public void abort() throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        try {
            wal.close();
        } finally {
            FileUtil.deleteRecursively(tmpDir);
        }
    }

    /** Aborts unless committed. */
    @Override
    public void close() throws IOException {
        abort();
    }
}
