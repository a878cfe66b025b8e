package io.tsdb4j.wal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static io.tsdb4j.wal.WalFormat.PAGE_SIZE;

/**
 * Repairs a WAL directory after a {@link WalCorruptionException}, with the outcome of Prometheus's
 * {@code WL.Repair}: segments after the damaged segment S are deleted, S keeps every intact record that starts
 * before the corruption offset, its last page is zero-filled to 32 KiB, and everything is fsynced. Data after
 * the corruption point is lost, nothing before it.
 *
 * <p>Prometheus rewrites the kept records into a fresh S; since its writer is deterministic, the kept prefix
 * of S is byte-for-byte what it would write, so this implementation truncates S just after the last kept
 * record and zero-pads in place (a crash midway leaves a valid, possibly short, segment).
 *
 * <p>Not safe to run while a {@link Wal} is writing to the directory.
 */
public final class WalRepair {
    private static final System.Logger LOG = System.getLogger(WalRepair.class.getName());

    private WalRepair() {
    }

    /**
     * Outcome of a repair.
     *
     * @param recordsKept     records left in the damaged segment
     * @param bytesDropped    bytes of the damaged segment after the last kept record, plus the sizes of the
     *                        deleted later segments
     * @param segmentsDeleted number of later segments deleted
     */
    public record RepairResult(int recordsKept, long bytesDropped, int segmentsDeleted) {
    }

    /**
     * Repairs {@code dir} (a WAL directory or a checkpoint directory) at the location named by {@code e}. Never
     * fails because of damaged content; throws only real I/O errors.
     */
    public static RepairResult repair(Path dir, WalCorruptionException e) throws IOException {
        int s = e.segment();
        long limit = e.offset();
        List<Segments.SegmentRef> segs = Segments.list(dir);

        // Highest first, so an interrupted repair still leaves a contiguous run of segments.
        long dropped = 0;
        int deleted = 0;
        Segments.SegmentRef target = null;
        for (int i = segs.size() - 1; i >= 0; i--) {
            Segments.SegmentRef ref = segs.get(i);
            if (ref.index() > s) {
                Files.deleteIfExists(ref.path());
                dropped += ref.size();
                deleted++;
            } else if (ref.index() == s) {
                target = ref;
            }
        }

        int kept = 0;
        long cut = 0;
        if (target != null) {
            WalReader.Source src = new WalReader.Source(dir, s, target.path(), false);
            try (WalReader r = new WalReader(List.of(src))) {
                while (r.next() && r.offset() < limit) {
                    kept++;
                    cut = r.endOffset();
                }
            } catch (UncheckedIOException io) {
                throw io.getCause();
            }
            long size;
            try (FileChannel ch = FileChannel.open(target.path(), StandardOpenOption.WRITE)) {
                size = ch.size();
                if (size > cut) {
                    ch.truncate(cut);
                }
                int pad = (int) ((PAGE_SIZE - cut % PAGE_SIZE) % PAGE_SIZE);
                ByteBuffer zeros = ByteBuffer.allocate(pad);
                long at = cut;
                while (zeros.hasRemaining()) {
                    at += ch.write(zeros, at);
                }
                ch.force(true);
            }
            dropped += Math.max(0, size - cut);
        }
        FileUtil.fsyncDir(dir);
        LOG.log(System.Logger.Level.WARNING,
            "Repaired WAL {0} after corruption in segment {1} at offset {2}: kept {3} records of the segment,"
                + " dropped {4} bytes, deleted {5} later segments ({6})",
            dir, s, limit, kept, dropped, deleted, e.reason());
        return new RepairResult(kept, dropped, deleted);
    }
}
