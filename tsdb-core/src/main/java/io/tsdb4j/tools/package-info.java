/** Operator tools over a data directory (dump, analyze), used by the command line and by tests. */
package io.tsdb4j.tools;
