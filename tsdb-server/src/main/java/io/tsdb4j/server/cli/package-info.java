/** The {@code tsdb4j} command line: {@code serve}, {@code dump}, {@code analyze}, {@code import}. */
package io.tsdb4j.server.cli;
