package io.tsdb4j;

import java.time.Duration;

/**
 * Options of a database. Immutable; start from {@link #defaults()} and change with the {@code with*} methods.
 *
 * @param blockRangeMillis      head chunk range and first-level block span (Prometheus: 2h)
 * @param walSegmentSize        WAL segment size in bytes (Prometheus: 128 MiB)
 * @param walCompression        snappy-compress WAL records (Prometheus 2.42 default: on; ours: off, it costs CPU on
 *                              the append path and is rarely worth it on fast disks)
 * @param syncPolicy            when WAL bytes are fsynced
 * @param syncIntervalMillis    fsync period for {@link SyncPolicy#INTERVAL}
 * @param retentionMillis       delete blocks older than this (0 = keep forever)
 * @param retentionBytes        delete oldest blocks beyond this total size (0 = no limit)
 * @param backgroundCompaction  cut the head, compact and apply retention in the background (Prometheus can turn
 *                              this off too); {@link Tsdb#compact()} runs it on demand either way
 */
public record TsdbOptions(long blockRangeMillis, int walSegmentSize, boolean walCompression, SyncPolicy syncPolicy,
                          long syncIntervalMillis, long retentionMillis, long retentionBytes, boolean backgroundCompaction) {
    public static final long DEFAULT_BLOCK_RANGE = Duration.ofHours(2).toMillis();

    public TsdbOptions {
        if (blockRangeMillis <= 0) throw new IllegalArgumentException("blockRangeMillis must be positive");
        if (walSegmentSize < 64 * 1024 || walSegmentSize % (32 * 1024) != 0) {
            throw new IllegalArgumentException("walSegmentSize must be a multiple of 32 KiB and at least 64 KiB, got " + walSegmentSize);
        }
        if (syncPolicy == null) throw new IllegalArgumentException("syncPolicy is required");
        if (syncIntervalMillis <= 0) throw new IllegalArgumentException("syncIntervalMillis must be positive");
        if (retentionMillis < 0 || retentionBytes < 0) throw new IllegalArgumentException("retention must not be negative");
    }

    public static TsdbOptions defaults() {
        return new TsdbOptions(DEFAULT_BLOCK_RANGE, 128 << 20, false, SyncPolicy.COMMIT, 1000,
                Duration.ofDays(15).toMillis(), 0, true);
    }

    public TsdbOptions withBlockRange(Duration d) {
        return new TsdbOptions(d.toMillis(), walSegmentSize, walCompression, syncPolicy, syncIntervalMillis, retentionMillis, retentionBytes, backgroundCompaction);
    }

    public TsdbOptions withWalSegmentSize(int bytes) {
        return new TsdbOptions(blockRangeMillis, bytes, walCompression, syncPolicy, syncIntervalMillis, retentionMillis, retentionBytes, backgroundCompaction);
    }

    public TsdbOptions withWalCompression(boolean on) {
        return new TsdbOptions(blockRangeMillis, walSegmentSize, on, syncPolicy, syncIntervalMillis, retentionMillis, retentionBytes, backgroundCompaction);
    }

    public TsdbOptions withSyncPolicy(SyncPolicy p) {
        return new TsdbOptions(blockRangeMillis, walSegmentSize, walCompression, p, syncIntervalMillis, retentionMillis, retentionBytes, backgroundCompaction);
    }

    public TsdbOptions withSyncInterval(Duration d) {
        return new TsdbOptions(blockRangeMillis, walSegmentSize, walCompression, syncPolicy, d.toMillis(), retentionMillis, retentionBytes, backgroundCompaction);
    }

    public TsdbOptions withRetention(Duration d) {
        return new TsdbOptions(blockRangeMillis, walSegmentSize, walCompression, syncPolicy, syncIntervalMillis, d.toMillis(), retentionBytes, backgroundCompaction);
    }

    public TsdbOptions withBackgroundCompaction(boolean on) {
        return new TsdbOptions(blockRangeMillis, walSegmentSize, walCompression, syncPolicy, syncIntervalMillis, retentionMillis, retentionBytes, on);
    }

    public TsdbOptions withRetentionBytes(long bytes) {
        return new TsdbOptions(blockRangeMillis, walSegmentSize, walCompression, syncPolicy, syncIntervalMillis, retentionMillis, bytes, backgroundCompaction);
    }
}
