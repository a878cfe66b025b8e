/**
 * Prometheus 2.42 compatible write-ahead log framing: segment files of 32 KiB pages holding CRC32C-checked,
 * optionally snappy-compressed record fragments ({@link io.tsdb4j.wal.WalFormat}), a thread-safe writer with
 * group commit ({@link io.tsdb4j.wal.Wal}), a sequential reader reporting typed corruption
 * ({@link io.tsdb4j.wal.WalReader}, {@link io.tsdb4j.wal.WalCorruptionException}), tail repair
 * ({@link io.tsdb4j.wal.WalRepair}) and checkpoints ({@link io.tsdb4j.wal.Checkpoint}).
 *
 * <p>Records are opaque byte strings here; their meaning (series, samples, ...) lives in {@code tsdb-core}.
 */
package io.tsdb4j.wal;
