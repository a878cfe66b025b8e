/**
 * Byte-level primitives of Prometheus's formats: big-endian fixed-width integers, Go's uvarint (LEB128) and
 * signed zigzag varint, and length-prefixed strings. {@link io.tsdb4j.encoding.Encbuf} writes into a reusable,
 * growable array; {@link io.tsdb4j.encoding.Decbuf} reads from an array or a (mapped) buffer without copying.
 */
package io.tsdb4j.encoding;
