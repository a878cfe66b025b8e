package io.tsdb4j;

/**
 * When committed WAL bytes are forced to stable storage. In every mode a commit has handed its bytes to the
 * operating system before it returns, so a killed process loses nothing committed; the modes differ on power
 * loss or a kernel crash.
 */
public enum SyncPolicy {
    /** fsync before {@code commit()} returns; concurrent commits share one fsync (group commit). */
    COMMIT,
    /** fsync in the background every {@link TsdbOptions#syncIntervalMillis()}. */
    INTERVAL,
    /** Never fsync except when a segment is finished and on close (Prometheus's behaviour). */
    NONE
}
