/**
 * EMQX Cluster Linking protocol v1 payloads and topics, as immutable records.
 *
 * <p>Every {@code $LINK} payload is ETF (see {@link io.linkgate.etf}), plain as EMQX 5.x sends it
 * or zlib-compressed as EMQX 6.0.3+ sends it ({@code term_to_binary(T, [compressed])}); both
 * decode, and what we send is chosen in {@code ControlCodec.encodeForLink} and
 * {@code ForwardingPool}: control maps keyed by the atom {@code '$op'} and small integers
 * ({@link io.linkgate.link.wire.ControlOp}), and forwarded messages as EMQX's {@code #message{}}
 * record ({@link io.linkgate.link.wire.ForwardedMessage}; on the forwarding path
 * {@link io.linkgate.link.wire.MessageRecord} encodes and decodes the broker's message directly, to the same bytes,
 * which is why this package knows {@code io.linkgate.broker.Message}). Decoders follow EMQX's pattern
 * matches: required fields must be present with the right type, extra keys are ignored, anything
 * else raises {@link io.linkgate.link.wire.LinkPayloadException} so the caller can drop the peer.
 * Text fields (names, topics, filters, route ids) must be valid UTF-8; in a forwarded message, a
 * client id or a property that is not is tolerated as EMQX 5.x tolerates it (see
 * {@code MessageCodec}).
 *
 * <p>{@link io.linkgate.link.wire.LinkTopics} builds and parses the three topics. The shapes were
 * read from {@code apps/emqx_cluster_link/src/emqx_cluster_link_mqtt.erl},
 * {@code emqx_cluster_link.erl}, {@code emqx_utils/include/emqx_message.hrl} and
 * {@code emqx_packet.erl}/{@code emqx_channel.erl} (headers), and are checked against OTP in the
 * {@code LinkPayload*} tests.
 */
package io.linkgate.link.wire;
