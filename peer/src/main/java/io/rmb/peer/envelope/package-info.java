/**
 * The RMB envelope (wire.md sections 2-3): decoding, the MD5 {@link io.rmb.peer.envelope.Challenge},
 * signing and verification ({@link io.rmb.peer.envelope.Envelopes}), time rules
 * ({@link io.rmb.peer.envelope.Expiry}) and the protocol error codes as a typed exception
 * hierarchy ({@link io.rmb.peer.envelope.ProtocolException}).
 *
 * <p>The generated protobuf types live in {@code io.rmb.proto} (module {@code schemas}).
 */
package io.rmb.peer.envelope;
