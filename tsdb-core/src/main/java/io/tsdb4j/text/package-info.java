/** Text formats shared with Prometheus's Go tools: Go's float formatting verbs. */
package io.tsdb4j.text;
