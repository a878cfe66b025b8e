package io.tsdb4j.block;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

/** File-system helpers shared by the block code. */
final class FileUtil {
    private FileUtil() {}

    /**
     * Replaces {@code dir/name} with {@code content} atomically: written to {@code name.tmp}, fsynced, renamed over
     * the old file, directory fsynced. A crash leaves either the old file or the new one, never a torn one.
     */
    static void writeAtomically(Path dir, String name, byte[] content) throws IOException {
        Path tmp = dir.resolve(name + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ByteBuffer bb = ByteBuffer.wrap(content);
            while (bb.hasRemaining()) ch.write(bb);
            ch.force(true);
        }
        Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        fsyncDir(dir);
    }

    /** Fsyncs a directory so renames and creations in it are durable (see the WAL module's {@code fsyncDir}). */
    static void fsyncDir(Path dir) throws IOException {
        io.tsdb4j.wal.FileUtil.fsyncDir(dir);
    }

    static void fsyncFile(Path f) throws IOException {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    /** Deletes a directory tree; missing is fine. */
    static void deleteRecursively(Path root) throws IOException {
        io.tsdb4j.wal.FileUtil.deleteRecursively(root);
    }

    /** Total size of the regular files under {@code root}. */
    static long treeSize(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            long n = 0;
            for (Path p : (Iterable<Path>) s::iterator) {
                if (Files.isRegularFile(p)) n += Files.size(p);
            }
            return n;
        }
    }
}
