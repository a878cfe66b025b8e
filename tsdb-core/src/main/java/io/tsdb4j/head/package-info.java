/**
 * The head block: the in-memory, appendable part of the database. Series live in a registry addressed by
 * reference (lock-free reads) and by label set; each holds finished XOR chunks and one open chunk. The head's
 * inverted index maps every label pair to a RoaringBitmap of series references. Commits are serialized by the
 * head's commit lock, which is also what makes a batch visible all at once; readers take a consistent snapshot
 * under the same lock's read side and then iterate without it.
 */
package io.tsdb4j.head;
