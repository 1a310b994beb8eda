/**
 * Relay connections (wire.md section 5): WebSocket clients that keep up to four relays
 * connected, authenticate each connection with a freshly minted JWT, keep it alive with pings,
 * reconnect with jittered exponential backoff, read every relay into one listener and send
 * each frame through the first relay that takes it, retrying until the frame's deadline.
 * Frames written in the last {@link io.rmb.peer.transport.RelayOptions#resendWindow()} before
 * a connection drops are offered again (a relay has no delivery receipt).
 *
 * <p>Entry points: {@link io.rmb.peer.transport.RelayOptions} (what to connect to and the
 * timings), {@link io.rmb.peer.transport.RelayClient} (the connections) behind the small
 * {@link io.rmb.peer.transport.Transport} interface that the peer runtime uses. The transport
 * knows frames, not envelopes: signing, encryption and routing live in
 * {@code io.rmb.peer.runtime}.
 */
package io.rmb.peer.transport;
