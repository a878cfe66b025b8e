/**
 * Persisted blocks, byte-compatible with Prometheus 2.42: a block directory named by its {@link
 * io.tsdb4j.block.Ulid} holding {@code meta.json} ({@link io.tsdb4j.block.BlockMeta}), the v2 {@code index}, chunk
 * segment files under {@code chunks/} ({@link io.tsdb4j.block.ChunkWriter}, {@link io.tsdb4j.block.ChunkReader})
 * and {@code tombstones} ({@link io.tsdb4j.block.Tombstones}).
 *
 * <p>Writing ({@link io.tsdb4j.block.BlockWriter}) and reading ({@link io.tsdb4j.block.Block}) share no interface.
 * {@link io.tsdb4j.block.Compactor} plans and merges blocks like Prometheus's leveled compactor, {@link
 * io.tsdb4j.block.Retention} picks blocks to delete, {@link io.tsdb4j.block.Blocks} opens a data directory's
 * blocks, skipping damaged ones. Format facts: {@code shared/docs/prometheus-formats.md} sections 5, 7 and 9.
 */
package io.tsdb4j.block;
