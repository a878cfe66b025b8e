/**
 * Prometheus's Gorilla-style XOR chunk encoding ({@code chunkenc} XOR, encoding id 1), byte-identical to
 * Prometheus 2.42. Layout: BE16 sample count, then a bit stream (most significant bit first): sample 0 as a
 * signed varint timestamp and 64 raw value bits; sample 1 as an uvarint time delta and an XOR-coded value;
 * every later sample as a delta-of-delta timestamp in one of five buckets and an XOR-coded value. See
 * {@code docs/format/chunks.md}.
 */
package io.tsdb4j.chunk;
