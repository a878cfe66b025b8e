package io.tsdb4j.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Directory helpers for tests. */
public final class Dirs {
    private Dirs() {}

    /** Copies a data directory tree, leaving out the {@code lock} file (so the copy can be opened by another process). */
    public static void copyDataDir(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else if (!p.getFileName().toString().equals("lock")) Files.copy(p, t);
            }
        }
    }
}
