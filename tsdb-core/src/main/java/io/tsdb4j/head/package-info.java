/**
 * The head block: the in-memory, appendable part of the database. Series live in a registry addressed by
 * reference (lock-free reads) and by label set; each holds finished XOR chunks and one open chunk. The head's
 * inverted index maps every label pair to a RoaringBitmap of series references. Commits validate and write the
 * WAL one at a time under the head's log lock, then apply their samples in parallel (each series in WAL order,
 * see {@link io.tsdb4j.head.CommitSequence}); the head's {@link io.tsdb4j.head.PhaseLock} keeps readers and
 * applying commits apart, so a batch becomes visible all at once. Readers take a consistent snapshot while
 * holding it and then iterate without it.
 */
package io.tsdb4j.head;
