/**
 * Erlang External Term Format (ETF), the subset the EMQX Cluster Linking payloads use.
 *
 * <p>Why our own codec instead of OTP's jinterface: jinterface is built for trusted distribution
 * peers. It allocates whatever a length field claims, recurses without a depth bound and brings
 * node/mailbox machinery we do not need. Here every byte comes from a remote broker, so
 * the decoder checks each declared length against the bytes that remain
 * before allocating, bounds input size, inflated size, nesting and term count
 * ({@link io.linkgate.etf.EtfLimits}), and fails with one {@link io.linkgate.etf.EtfException}
 * naming the offset. Nothing is interned, so unlike {@code binary_to_term/1} no atom table can
 * fill up.
 *
 * <p>Supported: atoms (UTF-8 and legacy Latin-1 forms), small/32-bit/big integers, new floats,
 * binaries, tuples, lists (proper, improper, STRING_EXT), maps, pids/ports/references, funs
 * (local and {@code fun M:F/A}) and bitstrings (all kept opaque: EMQX 5.x may forward them in a
 * message's {@code extra}), and the zlib-compressed envelope (tag 80). The pre-OTP-23 float,
 * pid, port and reference forms, the removed FUN_EXT and distribution-only atom cache
 * references are rejected: no OTP that runs EMQX 5.8+ writes them with {@code term_to_binary}.
 *
 * <p>The encoder matches OTP's output byte-for-byte for {@code term_to_binary(T, [{minor_version,
 * 2}])} (the OTP 26+ default): map keys are written in Erlang term order, which is what OTP does
 * for maps of up to 32 keys (and for all maps with {@code deterministic}). Since OTP 26
 * (erlang/otp#6151) small maps order atom keys by atom-table index, so a real EMQX may order
 * several atom keys differently; the decoded terms are equal either way, and only the decoder has
 * to cope with it. The encoder is tested against OTP in
 * {@code EtfOtpFixturesTest} and {@code EtfErlangInteropTest}.
 *
 * <p>{@link io.linkgate.etf.EtfReader} and {@link io.linkgate.etf.EtfWriter} are the same decoder and the same
 * byte choices without a term tree, for codecs of one fixed shape on a hot path (the forwarded message record):
 * the reader shares the decoder's limits and falls back to it for any sub-term, the writer fills an array sized up
 * front.
 */
package io.linkgate.etf;
