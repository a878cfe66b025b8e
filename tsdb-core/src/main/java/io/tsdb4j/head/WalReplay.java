package io.tsdb4j.head;

import io.tsdb4j.record.RecordDecoder;
import io.tsdb4j.record.RecordFormatException;
import io.tsdb4j.record.RecordType;
import io.tsdb4j.wal.WalCorruptionException;
import io.tsdb4j.wal.WalReader;
import io.tsdb4j.wal.WalRepair;
import org.agrona.collections.Long2LongHashMap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Rebuilds the head from the WAL (newest checkpoint, then later segments). A damaged tail is repaired the way
 * Prometheus repairs it: every record before the damage is kept, the damaged segment is cut there and later
 * segments are removed; a warning says how many records and bytes were dropped. Damage inside a checkpoint
 * cannot be repaired and fails the open with the checkpoint's path.
 */
public final class WalReplay {
    private static final System.Logger LOG = System.getLogger(WalReplay.class.getName());

    /** What replay did. */
    public record Result(long records, long samples, long skippedSamples, long unknownRefs, long histogramRecords,
                         boolean repaired) {}

    private WalReplay() {}

    /**
     * @param repair whether to repair a damaged tail (a writable open) or just stop reading there (read-only)
     */
    public static Result replay(Head head, Path walDir, boolean repair) throws IOException {
        if (!Files.isDirectory(walDir)) return new Result(0, 0, 0, 0, 0, false);
        long records = 0, samples = 0, unknown = 0, histograms = 0;
        long oooBefore = head.stats.outOfOrder.get();
        boolean repaired = false;
        // The WAL may name a series by several refs (the same labels logged again under a new ref).
        Long2LongHashMap refMap = new Long2LongHashMap(-1);
        RecordDecoder dec = new RecordDecoder();
        RecordDecoder.Samples ss = new RecordDecoder.Samples();
        RecordDecoder.Tombstones ts = new RecordDecoder.Tombstones();
        WalCorruptionException corruption = null;
        try (WalReader r = WalReader.forReplay(walDir)) {
            while (r.next()) {
                byte[] rec = r.buffer();
                int len = r.length();
                records++;
                try {
                    switch (RecordType.of(rec, len)) {
                        case RecordType.SERIES:
                            dec.series(rec, len, (ref, labels) -> {
                                long actual = head.replaySeries(ref, labels);
                                if (actual != ref) refMap.put(ref, actual);
                                else refMap.remove(ref); // the reference names these labels from here on
                            });
                            break;
                        case RecordType.SAMPLES:
                            dec.samples(rec, len, ss);
                            for (int i = 0; i < ss.n; i++) {
                                if (head.replaySample(resolve(refMap, ss.refs[i]), ss.ts[i], ss.vs[i])) samples++;
                                else unknown++;
                            }
                            break;
                        case RecordType.TOMBSTONES:
                            dec.tombstones(rec, len, ts);
                            for (int i = 0; i < ts.n; i++) {
                                head.replayTombstone(resolve(refMap, ts.refs[i]), ts.mints[i], ts.maxts[i]);
                            }
                            break;
                        case RecordType.HISTOGRAM_SAMPLES:
                        case RecordType.FLOAT_HISTOGRAM_SAMPLES:
                            histograms++;
                            break;
                        default:
                            break; // exemplars, metadata, mmap markers, unknown: not needed to rebuild samples
                    }
                } catch (RecordFormatException e) {
                    corruption = new WalCorruptionException(walDir, r.segment(), r.offset(),
                            "record does not decode: " + e.getMessage());
                    break;
                }
            }
            if (corruption == null) corruption = r.err();
            if (corruption != null && r.inCheckpoint()) {
                throw new IOException("WAL checkpoint " + r.segmentDir() + " is corrupt and cannot be repaired: " + corruption.getMessage(), corruption);
            }
        }
        if (corruption != null && !repair) {
            LOG.log(System.Logger.Level.WARNING, "WAL {0} is damaged at segment {1} offset {2} ({3}); read up to there",
                    walDir, corruption.segment(), corruption.offset(), corruption.reason());
        } else if (corruption != null) {
            // Everything before the damage has been applied; the repair cuts the rest.
            WalRepair.RepairResult rr = WalRepair.repair(walDir, corruption);
            LOG.log(System.Logger.Level.WARNING, "WAL {0} was damaged at segment {1} offset {2} ({3}); repaired: kept {4} records of that segment, dropped {5} bytes and {6} later segment(s)",
                    walDir, corruption.segment(), corruption.offset(), corruption.reason(), rr.recordsKept(), rr.bytesDropped(), rr.segmentsDeleted());
            repaired = true;
        }
        if (histograms > 0) {
            LOG.log(System.Logger.Level.WARNING, "WAL {0} holds {1} native histogram records; tsdb4j stores float samples only and skipped them", walDir, histograms);
        }
        long skipped = head.stats.outOfOrder.get() - oooBefore;
        return new Result(records, samples, skipped, unknown, histograms, repaired);
    }

    /** The series a WAL reference stands for: itself, unless its labels were already registered under another. */
    private static long resolve(Long2LongHashMap refMap, long ref) {
        long mapped = refMap.get(ref);
        return mapped != -1 ? mapped : ref;
    }
}
