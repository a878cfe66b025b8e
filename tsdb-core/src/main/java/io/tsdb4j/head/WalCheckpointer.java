package io.tsdb4j.head;

import io.tsdb4j.encoding.Encbuf;
import io.tsdb4j.record.RecordDecoder;
import io.tsdb4j.record.RecordEncoder;
import io.tsdb4j.record.RecordType;
import io.tsdb4j.wal.Checkpoint;
import io.tsdb4j.wal.CheckpointWriter;
import io.tsdb4j.wal.Segments;
import io.tsdb4j.wal.Wal;
import io.tsdb4j.wal.WalReader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Truncates the WAL after the head was cut, the way Prometheus does: start a new segment, then rewrite the older
 * two thirds of the segments (and the previous checkpoint) into {@code checkpoint.NNNNNNNN}, keeping series still
 * in the head, samples at or after the cut time and tombstones that still matter; then delete those segments and
 * older checkpoints. Replay reads the checkpoint and the segments after it.
 */
public final class WalCheckpointer {
    private static final System.Logger LOG = System.getLogger(WalCheckpointer.class.getName());

    private WalCheckpointer() {}

    /** What was done, or null if there was not enough WAL to be worth it. */
    public record Result(int lastSegment, long seriesKept, long samplesKept, long samplesDropped) {}

    public static Result truncate(Wal wal, Head head, long mint) throws IOException {
        Path dir = wal.dir();
        List<Segments.SegmentRef> segs = Segments.list(dir);
        if (segs.isEmpty()) return null;
        int first = segs.get(0).index();
        int last = segs.get(segs.size() - 1).index();
        wal.nextSegment(); // so a quiet database does not keep more WAL than needed
        last--;            // never the segment that was active
        if (last < first) return null;
        last = first + (last - first) * 2 / 3;
        if (last <= first) return null;

        long seriesKept = 0, samplesKept = 0, samplesDropped = 0;
        Optional<Checkpoint.CheckpointRef> prev = Checkpoint.last(dir);
        RecordDecoder dec = new RecordDecoder();
        RecordDecoder.Samples ss = new RecordDecoder.Samples();
        RecordDecoder.Tombstones ts = new RecordDecoder.Tombstones();
        Encbuf out = new Encbuf(1 << 16);
        long[] refs = new long[256], times = new long[256], maxts = new long[256];
        double[] vals = new double[256];
        try (CheckpointWriter cw = Checkpoint.begin(dir, last, wal.options())) {
            for (int pass = 0; pass < 2; pass++) {
                if (pass == 0 && prev.isEmpty()) continue;
                try (WalReader r = pass == 0 ? WalReader.open(prev.get().dir()) : WalReader.open(dir, first, last)) {
                    while (r.next()) {
                        byte[] rec = r.buffer();
                        int len = r.length();
                        out.reset();
                        switch (RecordType.of(rec, len)) {
                            case RecordType.SERIES: {
                                long[] kept = {0};
                                dec.series(rec, len, (ref, labels) -> {
                                    if (!head.hasSeries(ref)) return;
                                    if (kept[0]++ == 0) RecordEncoder.beginSeries(out);
                                    RecordEncoder.seriesEntry(out, ref, labels);
                                });
                                seriesKept += kept[0];
                                break;
                            }
                            case RecordType.SAMPLES: {
                                dec.samples(rec, len, ss);
                                if (refs.length < ss.n) {
                                    refs = new long[ss.n];
                                    times = new long[ss.n];
                                    vals = new double[ss.n];
                                }
                                int k = 0;
                                for (int i = 0; i < ss.n; i++) {
                                    if (ss.ts[i] < mint || !head.hasSeries(ss.refs[i])) {
                                        samplesDropped++;
                                        continue;
                                    }
                                    refs[k] = ss.refs[i];
                                    times[k] = ss.ts[i];
                                    vals[k] = ss.vs[i];
                                    k++;
                                }
                                samplesKept += k;
                                if (k > 0) RecordEncoder.samples(out, refs, times, vals, k);
                                break;
                            }
                            case RecordType.TOMBSTONES: {
                                dec.tombstones(rec, len, ts);
                                if (refs.length < ts.n) {
                                    refs = new long[ts.n];
                                    times = new long[ts.n];
                                    maxts = new long[ts.n];
                                }
                                if (maxts.length < refs.length) maxts = new long[refs.length];
                                int k = 0;
                                for (int i = 0; i < ts.n; i++) {
                                    if (ts.maxts[i] < mint || !head.hasSeries(ts.refs[i])) continue;
                                    refs[k] = ts.refs[i];
                                    times[k] = ts.mints[i];
                                    maxts[k] = ts.maxts[i];
                                    k++;
                                }
                                if (k > 0) RecordEncoder.tombstones(out, refs, times, maxts, k);
                                break;
                            }
                            default:
                                break; // metadata, exemplars, histograms: not carried over
                        }
                        if (out.len() > 0) cw.log(out.array(), 0, out.len());
                    }
                    if (r.err() != null) throw r.err();
                }
            }
            cw.commit();
        }
        wal.truncateBefore(last + 1);
        Checkpoint.deleteBefore(dir, last);
        LOG.log(System.Logger.Level.DEBUG, "WAL checkpoint {0}: {1} series, {2} samples kept, {3} dropped", last, seriesKept, samplesKept, samplesDropped);
        return new Result(last, seriesKept, samplesKept, samplesDropped);
    }
}
