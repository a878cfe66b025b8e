package io.tsdb4j.wal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * WAL checkpoints: directories {@code checkpoint.NNNNNNNN} inside the WAL directory, where NNNNNNNN (8
 * digits) is the last WAL segment the checkpoint covers. A checkpoint holds ordinary segment files. It is built
 * in {@code checkpoint.NNNNNNNN.tmp} and renamed into place once complete and fsynced, so a checkpoint without
 * the suffix is always whole. Replay reads the newest checkpoint, then the WAL segments after its index
 * ({@link WalReader#forReplay(Path)}). Stateless helpers; not safe against concurrent checkpointing of one
 * directory.
 */
public final class Checkpoint {
    static final String PREFIX = "checkpoint.";
    static final String TMP_SUFFIX = ".tmp";

    private Checkpoint() {
    }

    /** A finished checkpoint: the last segment it covers and its directory. */
    public record CheckpointRef(int index, Path dir) {
    }

    /** Name of the checkpoint directory covering segments up to {@code index}. */
    public static String name(int index) {
        return PREFIX + WalFormat.segmentName(index);
    }

    /** The finished checkpoint with the highest index in {@code walDir}, if any ({@code .tmp} ones ignored). */
    public static Optional<CheckpointRef> last(Path walDir) throws IOException {
        CheckpointRef best = null;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(walDir)) {
            for (Path p : ds) {
                int idx = parseIndex(p.getFileName().toString());
                if (idx >= 0 && Files.isDirectory(p) && (best == null || idx > best.index())) {
                    best = new CheckpointRef(idx, p);
                }
            }
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        return Optional.ofNullable(best);
    }

    /**
     * Starts checkpoint {@code lastSegmentCovered}: (re)creates {@code checkpoint.NNNNNNNN.tmp} and opens a
     * {@link Wal} inside it. The caller logs records, then {@link CheckpointWriter#commit() commits} or
     * {@link CheckpointWriter#abort() aborts}.
     */
    public static CheckpointWriter begin(Path walDir, int lastSegmentCovered, WalOptions opts) throws IOException {
        Path tmp = walDir.resolve(name(lastSegmentCovered) + TMP_SUFFIX);
        FileUtil.deleteRecursively(tmp);
        Files.createDirectories(tmp);
        FileUtil.fsyncDir(walDir);
        return new CheckpointWriter(walDir, lastSegmentCovered, tmp, Wal.open(tmp, opts));
    }

    /**
     * Deletes finished checkpoints with an index below {@code index}.
     *
     * @return how many were deleted
     */
    public static int deleteBefore(Path walDir, int index) throws IOException {
        int n = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(walDir)) {
            for (Path p : ds) {
                int idx = parseIndex(p.getFileName().toString());
                if (idx >= 0 && idx < index && Files.isDirectory(p)) {
                    FileUtil.deleteRecursively(p);
                    n++;
                }
            }
        } catch (NoSuchFileException e) {
            return 0;
        }
        if (n > 0) {
            FileUtil.fsyncDir(walDir);
        }
        return n;
    }

    /**
     * Deletes leftover {@code checkpoint.*.tmp} directories (from a crash while checkpointing); call at startup.
     *
     * @return how many were deleted
     */
    public static int removeTmp(Path walDir) throws IOException {
        int n = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(walDir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (name.startsWith(PREFIX) && name.endsWith(TMP_SUFFIX)) {
                    FileUtil.deleteRecursively(p);
                    n++;
                }
            }
        } catch (NoSuchFileException e) {
            return 0;
        }
        if (n > 0) {
            FileUtil.fsyncDir(walDir);
        }
        return n;
    }

    /** Index of a finished checkpoint directory name, or -1. */
    static int parseIndex(String name) {
        if (!name.startsWith(PREFIX)) {
            return -1;
        }
        return Segments.parseIndex(name.substring(PREFIX.length()));
    }
}
