/**
 * The inverted index: {@link io.tsdb4j.index.Postings} (sorted series references) with its set algebra
 * (intersection, union, difference), and the Prometheus v2 block index file ({@link io.tsdb4j.index.IndexWriter},
 * {@link io.tsdb4j.index.IndexReader}; layout in {@link io.tsdb4j.index.IndexFormat}).
 */
package io.tsdb4j.index;
