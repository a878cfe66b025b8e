/**
 * The meaning of WAL records, byte-compatible with Prometheus 2.42's {@code tsdb/record}: series (type 1),
 * float samples (2), tombstones (3), exemplars (4), metadata (6); histogram records (7, 8) are recognised and
 * reported. Framing of records into segments is {@code io.tsdb4j.wal}'s business, not this package's.
 */
package io.tsdb4j.record;
