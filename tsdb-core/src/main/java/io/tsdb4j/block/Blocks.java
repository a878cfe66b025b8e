package io.tsdb4j.block;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Opening and deleting the blocks of a data directory. */
public final class Blocks {
    private static final System.Logger LOG = System.getLogger(Blocks.class.getName());
    /** Suffix of a block directory being deleted. */
    public static final String TMP_DELETION_SUFFIX = ".tmp-for-deletion";

    private Blocks() {}

    /** The result of {@link #openAll}: the blocks opened and the ULIDs (directory names) skipped as damaged. */
    public record OpenResult(List<Block> blocks, List<String> skipped) {}

    /**
     * Opens every block directory of {@code dataDir} (subdirectories whose name is a valid ULID), sorted by
     * minTime then ULID. Leftover {@code <ULID>.tmp-for-creation}, {@code <ULID>.tmp-for-deletion} and legacy {@code
     * <ULID>.tmp} directories are removed first. A block that fails to open ({@link BlockCorruptionException} or an
     * I/O error) is logged at WARNING naming its ULID and skipped, never thrown. The caller owns the returned blocks.
     *
     * @throws IOException if {@code dataDir} itself cannot be listed
     */
    public static OpenResult openAll(Path dataDir) throws IOException {
        removeTmpDirs(dataDir);
        List<Path> dirs = blockDirs(dataDir);
        List<Block> blocks = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Path d : dirs) {
            String name = d.getFileName().toString();
            try {
                blocks.add(Block.open(d));
            } catch (BlockCorruptionException e) {
                LOG.log(System.Logger.Level.WARNING, "skipping damaged block " + e.ulid() + " (" + d + "): " + e.reason());
                skipped.add(name);
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "skipping block " + name + " that cannot be opened: " + e, e);
                skipped.add(name);
            }
        }
        blocks.sort(Comparator.comparingLong(Block::minTime).thenComparing(Block::ulid));
        return new OpenResult(blocks, skipped);
    }

    /** Subdirectories of {@code dataDir} named by a valid ULID, in name order. */
    public static List<Path> blockDirs(Path dataDir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dataDir)) {
            for (Path p : ds) {
                if (Files.isDirectory(p) && Ulid.isValid(p.getFileName().toString())) out.add(p);
            }
        }
        out.sort(null);
        return out;
    }

    /** Removes {@code <ULID>.tmp-for-creation}, {@code .tmp-for-deletion} and {@code .tmp} directories. */
    public static void removeTmpDirs(Path dataDir) throws IOException {
        List<Path> tmp = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dataDir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                for (String suffix : new String[]{BlockWriter.TMP_CREATION_SUFFIX, TMP_DELETION_SUFFIX, ".tmp"}) {
                    if (n.endsWith(suffix) && Ulid.isValid(n.substring(0, n.length() - suffix.length()))
                            && Files.isDirectory(p)) {
                        tmp.add(p);
                    }
                }
            }
        }
        for (Path p : tmp) {
            LOG.log(System.Logger.Level.INFO, "removing leftover temporary block directory " + p);
            FileUtil.deleteRecursively(p);
        }
    }

    /**
     * Deletes a block directory crash-safely: renames it to {@code <ULID>.tmp-for-deletion} (so a crash midway
     * leaves nothing that looks like a block), then removes the tree. Close the {@link Block} first (its close waits
     * for running readers).
     */
    public static void delete(Path blockDir) throws IOException {
        if (!Files.exists(blockDir)) return;
        Path tmp = blockDir.resolveSibling(blockDir.getFileName() + TMP_DELETION_SUFFIX);
        Files.move(blockDir, tmp, StandardCopyOption.ATOMIC_MOVE);
        FileUtil.fsyncDir(blockDir.getParent());
        FileUtil.deleteRecursively(tmp);
    }
}
