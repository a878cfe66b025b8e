/**
 * Prometheus remote write 1.0 and remote read codecs: snappy block framing, hand-written protobuf encoders and
 * decoders for {@code WriteRequest}, {@code ReadRequest}, {@code ReadResponse} and the
 * {@code STREAMED_XOR_CHUNKS} frame stream, and the HTTP header constants of both protocols.
 *
 * <p>Every decoder treats its input as untrusted: malformed input fails with a {@link
 * io.tsdb4j.remote.RemoteProtocolException} naming what was wrong and where, and sizes are checked against limits
 * before anything is allocated. See {@code shared/docs/prometheus-remote-protocols.md} for the wire formats.
 */
package io.tsdb4j.remote;
