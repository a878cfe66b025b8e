/**
 * Snappy block format, shared by the WAL (Prometheus's record compression) and the remote protocols. Decoding is
 * our own bounds-checked loop because its input may be hostile (network bodies, damaged files); encoding uses
 * aircompressor.
 */
package io.tsdb4j.compress;
