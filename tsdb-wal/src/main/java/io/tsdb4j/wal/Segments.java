package io.tsdb4j.wal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Listing of the segment files of a WAL (or checkpoint) directory. Stateless, thread-safe. */
public final class Segments {
    private Segments() {
    }

    /** One segment file: its index, path and size at listing time. */
    public record SegmentRef(int index, Path path, long size) {
    }

    /**
     * The segment files in {@code dir}, sorted by index. Only regular files named by exactly 8 decimal digits
     * count; temporary files, checkpoints and other names are ignored. A missing directory has no segments.
     */
    public static List<SegmentRef> list(Path dir) throws IOException {
        List<SegmentRef> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                int index = parseIndex(p.getFileName().toString());
                if (index >= 0 && Files.isRegularFile(p)) {
                    out.add(new SegmentRef(index, p, Files.size(p)));
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        out.sort(Comparator.comparingInt(SegmentRef::index));
        return out;
    }

    /** Path of segment {@code index} inside {@code dir}. */
    public static Path path(Path dir, int index) {
        return dir.resolve(WalFormat.segmentName(index));
    }

    /** Index encoded by an 8-digit name, or -1 if {@code name} is not a segment name. */
    static int parseIndex(String name) {
        if (name.length() != 8) {
            return -1;
        }
        int v = 0;
        for (int i = 0; i < 8; i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** Fails naming the first missing index if {@code segs} (sorted) is not contiguous. */
    static void requireContiguous(Path dir, List<SegmentRef> segs) throws IOException {
        for (int i = 1; i < segs.size(); i++) {
            int prev = segs.get(i - 1).index();
            int cur = segs.get(i).index();
            if (cur != prev + 1) {
                throw new IOException("WAL segments in " + dir + " are not sequential: segment "
                    + WalFormat.segmentName(prev + 1) + " is missing (found " + WalFormat.segmentName(prev)
                    + " then " + WalFormat.segmentName(cur) + ")");
            }
        }
    }
}
