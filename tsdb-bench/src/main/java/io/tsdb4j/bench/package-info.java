/** Benchmarks: JMH micro-benchmarks of the hot paths and the end-to-end ingest benchmark. */
package io.tsdb4j.bench;
